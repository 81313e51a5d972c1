"""The example journeys and event log that ship inside the package, so a quick start runs from
any directory::

    import cjm
    journey = cjm.examples.load("sports-nutrition")
    events = cjm.examples.events_path("sports-nutrition")   # a CSV event log (1000 customers)

Names: ``sports-nutrition`` (Russian, as-is), ``sports-nutrition-to-be`` (its to-be map) and
``ecommerce`` (English). The files are the repository's ``examples/`` folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Journey

__all__ = ["events_path", "load", "names", "path"]

_ROOT = Path(__file__).parent / "_examples"
_JOURNEYS = {
    "sports-nutrition": "sports-nutrition/journey.yaml",
    "sports-nutrition-to-be": "sports-nutrition/journey-to-be.yaml",
    "ecommerce": "ecommerce/journey.yaml",
}
_EVENTS = {"sports-nutrition": "sports-nutrition/events.csv"}


def names() -> list[str]:
    """The example journeys' names."""
    return list(_JOURNEYS)


def _existing(relative: str) -> Path:
    file = _ROOT / relative
    if not file.is_file():
        raise FileNotFoundError(
            f"{file}: the package was built without its examples (scripts/copy-examples.sh)"
        )
    return file


def path(name: str) -> Path:
    """The file of an example journey (YAML)."""
    if name not in _JOURNEYS:
        raise ValueError(f"no example named {name!r}; examples: {', '.join(_JOURNEYS)}")
    return _existing(_JOURNEYS[name])


def events_path(name: str = "sports-nutrition") -> Path:
    """The example event log of a journey (CSV: ``user_id,timestamp,event,platform,persona``)."""
    if name not in _EVENTS:
        raise ValueError(f"no event log for {name!r}; event logs: {', '.join(_EVENTS)}")
    return _existing(_EVENTS[name])


def load(name: str) -> Journey:
    """An example journey, loaded."""
    from . import load as load_file  # noqa: PLC0415  (the package imports this module first)

    return load_file(path(name))
