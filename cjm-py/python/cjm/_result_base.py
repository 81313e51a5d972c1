"""The base of every result class: frozen, compared by value, picklable.

It lives apart from ``_results`` because the generated field accessors
(``_results_generated``) derive from it and ``_results`` derives from them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Generic, TypeVar, cast

from . import _cjm

D = TypeVar("D")


class _Result(Generic[D]):
    """An immutable result: the core's plain data, with typed access to its top-level fields."""

    __slots__ = ("_data", "_source")
    __hash__ = None  # type: ignore[assignment]  # compared by value, like the dicts they hold

    _data: D
    _source: _cjm.NativeJourney | None

    def __init__(self, data: D, _source: _cjm.NativeJourney | None = None) -> None:
        """Wraps result data (what :meth:`to_dict` returns). ``_source`` is the journey it was
        computed from, when known: charts (``_repr_svg_``) are drawn from it."""
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_source", _source)

    def to_dict(self) -> D:
        """The result as plain data (a fresh copy), exactly as every cjm front serialises it:
        ``json.dumps`` of it equals what the CLI prints with ``--format json``."""
        return copy.deepcopy(self._data)

    def _get(self, key: str) -> Any:
        # Optional fields may be absent; lists and dicts are copied so the result stays frozen.
        return copy.deepcopy(cast(Mapping[str, Any], self._data).get(key))

    def _describe(self) -> str:
        return ""

    def __repr__(self) -> str:
        details = self._describe()
        return f"<cjm.{type(self).__name__}{' ' if details else ''}{details}>"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._data == cast(_Result[Any], other)._data)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __copy__(self) -> _Result[D]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Result[D]:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._data,))
