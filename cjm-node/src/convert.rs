//! Reading call arguments: JS values into the plain data the core understands.
//!
//! A journey object is read with `JSON.stringify`'s rules: own enumerable string keys,
//! `toJSON()` honoured (a `Date` becomes its ISO string), `undefined`/functions/symbols skipped
//! in objects and `null` in arrays, a `BigInt` refused. The fast way is the engine's own
//! `JSON.stringify`; when its text would not be exact (it threw, or NaN may hide behind a
//! `null`), an exact reader walks the object instead: it keeps NaN and ±Infinity (the validator
//! reports them as `non_finite_number`), names the JSON pointer of a bad value, and bounds
//! nesting and size so cyclic or hostile objects end in a typed error, never a stack overflow.

use cjm_core::ErrorCode;
use std::cell::Cell;
use std::ffi::CStr;
use std::ptr;

use cjm_core::{CjmError, Format, Location, pointer_segment};
use napi::bindgen_prelude::{FromNapiValue, ToNapiValue, Uint8ArraySlice};
use napi::{JsValue, Unknown, ValueType, sys};
use serde_json::Value;

use crate::error::{Failure, Outcome, invalid_argument};

/// Deepest nesting of arrays and objects accepted, the same limit the core's JSON and YAML
/// parsers apply to text.
const MAX_DEPTH: usize = 128;
/// Most values (of any kind) read from one object: bounds the work a shared-object graph such
/// as `{a: o, b: o}` nested many times over could cause.
const MAX_VALUES: usize = 1_000_000;

/// Largest integer a JS number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn check(status: sys::napi_status, what: &str) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(
            napi::Status::from(status),
            what.to_string(),
        ))
    }
}

fn type_name(value: &Unknown) -> napi::Result<&'static str> {
    Ok(match value.get_type()? {
        ValueType::Undefined => "undefined",
        ValueType::Null => "null",
        ValueType::Boolean => "a boolean",
        ValueType::Number => "a number",
        ValueType::String => "a string",
        ValueType::Symbol => "a symbol",
        ValueType::Object if value.is_array()? => "an array",
        ValueType::Object => "an object",
        ValueType::Function => "a function",
        ValueType::BigInt => "a bigint",
        _ => "an unsupported value",
    })
}

pub fn is_nullish(value: &Unknown) -> napi::Result<bool> {
    Ok(matches!(
        value.get_type()?,
        ValueType::Undefined | ValueType::Null
    ))
}

/// Input text or bytes: a string (as UTF-8), a `Buffer` or a `Uint8Array`.
pub enum Input<'env> {
    Text(String),
    /// A string holding a lone surrogate, encoded like Python's `surrogatepass` so that the
    /// core refuses it as `invalid_utf8` at its line and column, as in Python.
    Lone(Vec<u8>),
    Bytes(Uint8ArraySlice<'env>),
}

impl Input<'_> {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Input::Text(text) => text.as_bytes(),
            Input::Lone(bytes) => bytes,
            Input::Bytes(bytes) => bytes,
        }
    }
}

/// A JS string as UTF-8 text; `Err` with its bytes, each lone surrogate encoded as three bytes
/// (`ED A0 80`…, what Python's `surrogatepass` writes), when it is not well-formed UTF-16.
/// (napi's own UTF-8 conversion would turn lone surrogates into U+FFFD silently.)
pub fn js_string(env: sys::napi_env, raw: sys::napi_value) -> Outcome<Result<String, Vec<u8>>> {
    let mut length = 0;
    check(
        unsafe { sys::napi_get_value_string_utf16(env, raw, ptr::null_mut(), 0, &mut length) },
        "cannot read a string",
    )?;
    let mut units = vec![0u16; length + 1];
    let mut written = 0;
    check(
        unsafe {
            sys::napi_get_value_string_utf16(
                env,
                raw,
                units.as_mut_ptr(),
                units.len(),
                &mut written,
            )
        },
        "cannot read a string",
    )?;
    units.truncate(written);
    if let Ok(text) = String::from_utf16(&units) {
        return Ok(Ok(text));
    }
    Ok(Err(cjm_core::utf16_to_bytes(units)))
}

pub fn input<'env>(value: &Unknown<'env>, name: &str) -> Outcome<Input<'env>> {
    match value.get_type()? {
        ValueType::String => Ok(match js_string(value.value().env, value.raw())? {
            Ok(text) => Input::Text(text),
            Err(bytes) => Input::Lone(bytes),
        }),
        ValueType::Object if value.is_typedarray()? => {
            match unsafe { Uint8ArraySlice::from_napi_value(value.value().env, value.raw()) } {
                Ok(slice) => Ok(Input::Bytes(slice)),
                Err(_) => Err(invalid_argument(format!(
                    "{name} must be a string, a Buffer or a Uint8Array, not another typed array"
                ))),
            }
        }
        _ => Err(invalid_argument(format!(
            "{name} must be a string, a Buffer or a Uint8Array, not {}",
            type_name(value)?
        ))),
    }
}

pub fn string(value: &Unknown, name: &str) -> Outcome<String> {
    if value.get_type()? == ValueType::String {
        Ok(unsafe { String::from_napi_value(value.value().env, value.raw())? })
    } else {
        Err(invalid_argument(format!(
            "{name} must be a string, not {}",
            type_name(value)?
        )))
    }
}

/// An optional string argument: `undefined` and `null` mean "not given".
pub fn optional_string(value: Option<&Unknown>, name: &str) -> Outcome<Option<String>> {
    match value {
        Some(value) if !is_nullish(value)? => string(value, name).map(Some),
        _ => Ok(None),
    }
}

pub fn format(value: &Unknown, name: &str) -> Outcome<Format> {
    Ok(Format::from_name(&string(value, name)?)?)
}

pub fn optional_format(value: Option<&Unknown>, name: &str) -> Outcome<Option<Format>> {
    match optional_string(value, name)? {
        Some(text) => Ok(Some(Format::from_name(&text)?)),
        None => Ok(None),
    }
}

/// An optional number argument: `undefined` and `null` mean "not given".
pub fn optional_number(value: Option<&Unknown>, name: &str) -> Outcome<Option<f64>> {
    match value {
        Some(value) if !is_nullish(value)? => {
            if value.get_type()? == ValueType::Number {
                Ok(Some(unsafe {
                    f64::from_napi_value(value.value().env, value.raw())?
                }))
            } else {
                Err(invalid_argument(format!(
                    "{name} must be a number, not {}",
                    type_name(value)?
                )))
            }
        }
        _ => Ok(None),
    }
}

/// The fields of an options object; `undefined` and `null` stand for `{}`. Unknown keys are
/// refused, so a misspelt option (`max_bytes` for `maxBytes`) does not pass silently.
pub struct Options<'env> {
    fields: Vec<(String, Unknown<'env>)>,
}

impl<'env> Options<'env> {
    pub fn read(value: Option<&Unknown<'env>>, name: &str, known: &[&str]) -> Outcome<Self> {
        let Some(value) = value else {
            return Ok(Options { fields: Vec::new() });
        };
        if is_nullish(value)? {
            return Ok(Options { fields: Vec::new() });
        }
        if value.get_type()? != ValueType::Object || value.is_array()? {
            return Err(invalid_argument(format!(
                "{name} must be an object, not {}",
                type_name(value)?
            )));
        }
        let env = value.value().env;
        let mut fields = Vec::new();
        for (key, raw) in own_entries(env, value.raw())? {
            if !known.contains(&key.as_str()) {
                return Err(invalid_argument(format!(
                    "unknown option {key:?} in {name}; the options are {}",
                    known.join(", ")
                )));
            }
            fields.push((key, unsafe { Unknown::from_raw_unchecked(env, raw) }));
        }
        Ok(Options { fields })
    }

    pub fn get(&self, key: &str) -> Option<&Unknown<'env>> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Own enumerable string-keyed properties, like `Object.entries`.
fn own_entries(
    env: sys::napi_env,
    object: sys::napi_value,
) -> napi::Result<Vec<(String, sys::napi_value)>> {
    let mut keys = ptr::null_mut();
    check(
        unsafe {
            sys::napi_get_all_property_names(
                env,
                object,
                sys::KeyCollectionMode::own_only,
                sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
                sys::KeyConversion::numbers_to_strings,
                &mut keys,
            )
        },
        "cannot list the object's keys",
    )?;
    let mut length = 0;
    check(
        unsafe { sys::napi_get_array_length(env, keys, &mut length) },
        "cannot count the object's keys",
    )?;
    let mut entries = Vec::with_capacity(length as usize);
    for index in 0..length {
        let mut key = ptr::null_mut();
        check(
            unsafe { sys::napi_get_element(env, keys, index, &mut key) },
            "cannot read a key",
        )?;
        let name = unsafe { String::from_napi_value(env, key)? };
        let mut value = ptr::null_mut();
        check(
            unsafe { sys::napi_get_property(env, object, key, &mut value) },
            "cannot read a property",
        )?;
        entries.push((name, value));
    }
    Ok(entries)
}

/// Checks that a journey argument is an object (not an array, not a primitive).
pub fn journey_object(value: &Unknown, name: &str) -> Outcome<()> {
    if value.get_type()? != ValueType::Object || value.is_array()? {
        return Err(invalid_argument(format!(
            "{name} must be a journey object, not {}",
            type_name(value)?
        )));
    }
    Ok(())
}

/// Calls `function(...arguments)` with `this` bound to `receiver`. `Err(exception)` when it
/// threw; the exception is cleared, so the caller decides what follows.
fn call(
    env: sys::napi_env,
    receiver: sys::napi_value,
    function: sys::napi_value,
    arguments: &[sys::napi_value],
) -> napi::Result<Result<sys::napi_value, sys::napi_value>> {
    let mut result = ptr::null_mut();
    let status = unsafe {
        sys::napi_call_function(
            env,
            receiver,
            function,
            arguments.len(),
            arguments.as_ptr(),
            &mut result,
        )
    };
    if status == sys::Status::napi_pending_exception {
        let mut exception = ptr::null_mut();
        check(
            unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) },
            "cannot clear the exception",
        )?;
        return Ok(Err(exception));
    }
    check(status, "the call failed")?;
    Ok(Ok(result))
}

/// The global `JSON` object and one of its methods.
fn json_method(
    env: sys::napi_env,
    method: &CStr,
) -> napi::Result<(sys::napi_value, sys::napi_value)> {
    let mut global = ptr::null_mut();
    check(
        unsafe { sys::napi_get_global(env, &mut global) },
        "no global object",
    )?;
    let mut json = ptr::null_mut();
    check(
        unsafe { sys::napi_get_named_property(env, global, c"JSON".as_ptr(), &mut json) },
        "no JSON object",
    )?;
    let mut function = ptr::null_mut();
    check(
        unsafe { sys::napi_get_named_property(env, json, method.as_ptr(), &mut function) },
        "no JSON method",
    )?;
    Ok((json, function))
}

/// What the replacer throws when the object holds more than [`MAX_VALUES`] values (a
/// shared-object graph would make `JSON.stringify` write an exponentially long text).
const TOO_MANY: &str = "cjm-node:too-many-values";

/// `JSON.stringify` replacer factory: counts values and stops at a non-finite number (which the
/// text would turn into `null`) so that the exact reader takes over.
const REPLACER_SOURCE: &str = r#"(function (limit) {
  let count = 0
  return function (key, value) {
    if (++count > limit) throw "cjm-node:too-many-values"
    if (typeof value === "number" && !Number.isFinite(value)) throw "cjm-node:non-finite"
    return value
  }
})"#;

thread_local! {
    /// The compiled replacer factory of the environment on this thread.
    static REPLACER_FACTORY: Cell<Option<(sys::napi_env, sys::napi_ref)>> = const { Cell::new(None) };
}

fn replacer(env: sys::napi_env) -> napi::Result<sys::napi_value> {
    let reference = match REPLACER_FACTORY.get() {
        Some((owner, reference)) if owner == env => reference,
        _ => {
            let source = unsafe { <&str>::to_napi_value(env, REPLACER_SOURCE)? };
            let mut factory = ptr::null_mut();
            check(
                unsafe { sys::napi_run_script(env, source, &mut factory) },
                "cannot compile the replacer",
            )?;
            let mut reference = ptr::null_mut();
            check(
                unsafe { sys::napi_create_reference(env, factory, 1, &mut reference) },
                "cannot keep the replacer",
            )?;
            REPLACER_FACTORY.set(Some((env, reference)));
            reference
        }
    };
    let mut factory = ptr::null_mut();
    check(
        unsafe { sys::napi_get_reference_value(env, reference, &mut factory) },
        "cannot read the replacer",
    )?;
    let mut undefined = ptr::null_mut();
    check(
        unsafe { sys::napi_get_undefined(env, &mut undefined) },
        "no undefined",
    )?;
    let limit = unsafe { f64::to_napi_value(env, MAX_VALUES as f64)? };
    match call(env, undefined, factory, &[limit])? {
        Ok(replacer) => Ok(replacer),
        Err(_) => Err(napi::Error::new(
            napi::Status::GenericFailure,
            "cannot make the replacer",
        )),
    }
}

/// The fast way in: the text of the engine's own `JSON.stringify`, whose rules the exact
/// reader follows. `None` when that text would not be exact — a non-finite number, a cycle, a
/// BigInt, too deep a nesting, a throwing getter — so that the caller walks the object with
/// [`journey_tree`] instead (for the precise error, or to keep NaN).
pub fn stringify(value: &Unknown) -> Outcome<Option<String>> {
    let env = value.value().env;
    let (json, stringify) = json_method(env, c"stringify")?;
    let replacer = replacer(env)?;
    let text = match call(env, json, stringify, &[value.raw(), replacer])? {
        Ok(text) => text,
        Err(exception) => {
            let exception = unsafe { Unknown::from_raw_unchecked(env, exception) };
            if exception.get_type()? == ValueType::String
                && unsafe { String::from_napi_value(env, exception.raw())? } == TOO_MANY
            {
                return Err(too_many_values());
            }
            return Ok(None);
        }
    };
    let text = unsafe { Unknown::from_raw_unchecked(env, text) };
    if text.get_type()? != ValueType::String {
        return Ok(None);
    }
    Ok(Some(unsafe { String::from_napi_value(env, text.raw())? }))
}

fn too_many_values() -> Failure {
    Failure::Cjm(CjmError::parse(
        ErrorCode::InputTooLarge,
        format!("the journey object holds more than {MAX_VALUES} values"),
        Location::default(),
    ))
}

/// The fast way out: `JSON.parse` of the JSON the core wrote.
pub fn parse_json(env: sys::napi_env, text: &str) -> napi::Result<sys::napi_value> {
    let (json, parse) = json_method(env, c"parse")?;
    let argument = unsafe { <&str>::to_napi_value(env, text)? };
    call(env, json, parse, &[argument])?
        .map_err(|_| napi::Error::new(napi::Status::GenericFailure, "JSON.parse failed"))
}

/// Reads a journey argument (checked by [`journey_object`]) into a tree that, unlike JSON, can
/// hold NaN and ±Infinity (which a JS object can carry and the validator reports as
/// `non_finite_number`).
pub fn journey_tree(value: &Unknown) -> Outcome<Tree> {
    let mut reader = Reader {
        env: value.value().env,
        values: 0,
        path: String::new(),
    };
    reader.value(value.raw(), "", 0)
}

/// Plain data read from JS. YAML's value model is JSON's plus non-finite numbers.
pub type Tree = cjm_core::PlainTree;

struct Reader {
    env: sys::napi_env,
    values: usize,
    /// JSON pointer of the value being read.
    path: String,
}

impl Reader {
    fn location(&self) -> Location {
        Location::pointer(if self.path.is_empty() {
            "/"
        } else {
            &self.path
        })
    }

    fn wrong_type(&self, what: &str) -> Failure {
        Failure::Cjm(CjmError::parse(ErrorCode::WrongType, what, self.location()))
    }

    /// Reads one value like `JSON.stringify` does; `key` is its property name (or index).
    fn value(&mut self, raw: sys::napi_value, key: &str, depth: usize) -> Outcome<Tree> {
        self.values += 1;
        if self.values > MAX_VALUES {
            return Err(too_many_values());
        }
        let value = unsafe { Unknown::from_raw_unchecked(self.env, raw) };
        Ok(match value.get_type()? {
            ValueType::Null | ValueType::Undefined => Tree::Null,
            ValueType::Boolean => Tree::Bool(unsafe { bool::from_napi_value(self.env, raw)? }),
            ValueType::String => match js_string(self.env, raw)? {
                Ok(text) => Tree::String(text),
                Err(_) => {
                    return Err(Failure::Cjm(CjmError::parse(
                        ErrorCode::InvalidUtf8,
                        "string is not valid Unicode (lone surrogate)",
                        self.location(),
                    )));
                }
            },
            ValueType::Number => {
                let number = unsafe { f64::from_napi_value(self.env, raw)? };
                // Whole numbers become integers, so fields such as `format_version` or
                // `sample_size` read as they would from JSON text.
                if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
                    Tree::Number((number as i64).into())
                } else {
                    Tree::Number(number.into())
                }
            }
            ValueType::Object => {
                if depth >= MAX_DEPTH {
                    return Err(Failure::Cjm(CjmError::parse(
                        ErrorCode::TooDeep,
                        format!(
                            "the journey object nests deeper than {MAX_DEPTH} levels (is it cyclic?)"
                        ),
                        self.location(),
                    )));
                }
                if let Some(replaced) = self.to_json(raw, key)? {
                    self.plain(replaced, depth)?
                } else {
                    self.plain(raw, depth)?
                }
            }
            ValueType::BigInt => {
                return Err(self.wrong_type("a BigInt is not journey data; use a number"));
            }
            other => {
                return Err(self.wrong_type(&format!("a {other} is not journey data")));
            }
        })
    }

    /// What an object's `toJSON(key)` method returns (a `Date` gives its ISO string), if it has
    /// one.
    fn to_json(&self, raw: sys::napi_value, key: &str) -> napi::Result<Option<sys::napi_value>> {
        let mut method = ptr::null_mut();
        check(
            unsafe { sys::napi_get_named_property(self.env, raw, c"toJSON".as_ptr(), &mut method) },
            "cannot read toJSON",
        )?;
        let method_value = unsafe { Unknown::from_raw_unchecked(self.env, method) };
        if method_value.get_type()? != ValueType::Function {
            return Ok(None);
        }
        let key = unsafe { <&str>::to_napi_value(self.env, key)? };
        let mut result = ptr::null_mut();
        check(
            unsafe { sys::napi_call_function(self.env, raw, method, 1, &key, &mut result) },
            "toJSON failed",
        )?;
        Ok(Some(result))
    }

    /// A value after `toJSON`: objects and arrays are read, other values as they are.
    fn plain(&mut self, raw: sys::napi_value, depth: usize) -> Outcome<Tree> {
        let value = unsafe { Unknown::from_raw_unchecked(self.env, raw) };
        match value.get_type()? {
            ValueType::Object if value.is_array()? => self.array(raw, depth),
            ValueType::Object => self.object(raw, depth),
            ValueType::Undefined | ValueType::Function | ValueType::Symbol => Ok(Tree::Null),
            _ => {
                // A primitive from toJSON: read it as a leaf (it cannot recurse).
                self.values -= 1;
                self.value(raw, "", depth)
            }
        }
    }

    fn array(&mut self, raw: sys::napi_value, depth: usize) -> Outcome<Tree> {
        let mut length = 0;
        check(
            unsafe { sys::napi_get_array_length(self.env, raw, &mut length) },
            "cannot read the array's length",
        )?;
        let mut items = Vec::new();
        let parent = self.path.len();
        for index in 0..length {
            let mut element = ptr::null_mut();
            check(
                unsafe { sys::napi_get_element(self.env, raw, index, &mut element) },
                "cannot read an array element",
            )?;
            let key = index.to_string();
            self.path.push('/');
            self.path.push_str(&key);
            let item = match self.skippable(element)? {
                true => Tree::Null,
                false => self.value(element, &key, depth + 1)?,
            };
            self.path.truncate(parent);
            items.push(item);
        }
        Ok(Tree::Sequence(items))
    }

    fn object(&mut self, raw: sys::napi_value, depth: usize) -> Outcome<Tree> {
        let mut map = serde_yaml_ng::Mapping::new();
        let parent = self.path.len();
        for (key, element) in own_entries(self.env, raw)? {
            if self.skippable(element)? {
                continue;
            }
            self.path.push('/');
            self.path.push_str(&pointer_segment(&key));
            let item = self.value(element, &key, depth + 1)?;
            self.path.truncate(parent);
            map.insert(Tree::String(key), item);
        }
        Ok(Tree::Mapping(map))
    }

    /// What `JSON.stringify` leaves out of objects (and writes as `null` in arrays).
    fn skippable(&self, raw: sys::napi_value) -> napi::Result<bool> {
        let value = unsafe { Unknown::from_raw_unchecked(self.env, raw) };
        Ok(matches!(
            value.get_type()?,
            ValueType::Undefined | ValueType::Function | ValueType::Symbol
        ))
    }
}

/// A plain-data argument (an options object, a funnel spec) as JSON, read with the same
/// `JSON.stringify` rules as a journey. A non-finite number is refused with its JSON pointer.
pub fn plain_json(value: &Unknown, name: &str) -> Outcome<Value> {
    if let Some(text) = stringify(value)? {
        return serde_json::from_str(&text)
            .map_err(|e| invalid_argument(format!("{name} cannot be read as data: {e}")));
    }
    let (json, non_finite) = cjm_core::tree_to_json(&journey_tree(value)?);
    match non_finite.first() {
        Some(path) => Err(invalid_argument(format!(
            "{name}{path} must be a finite number, not NaN or Infinity"
        ))),
        None => Ok(json),
    }
}

/// A plain-data argument as one of the core's types (snake_case keys, as in `cjm.d.ts`).
/// `known` lists the top-level keys accepted, so that a misspelt key does not pass silently.
pub fn data<T: serde::de::DeserializeOwned>(
    value: &Unknown,
    name: &str,
    known: &[&str],
) -> Outcome<T> {
    let json = plain_json(value, name)?;
    if let Value::Object(map) = &json
        && let Some(key) = map.keys().find(|k| !known.contains(&k.as_str()))
    {
        return Err(invalid_argument(format!(
            "unknown key {key:?} in {name}; the keys are {}",
            known.join(", ")
        )));
    }
    serde_json::from_value(json).map_err(|e| invalid_argument(format!("{name}: {e}")))
}

/// Like [`data`] for a type with defaults: the accepted keys are those of `T::default()`, and
/// `undefined`/`null` give the defaults.
pub fn optional_data<T>(value: Option<&Unknown>, name: &str) -> Outcome<T>
where
    T: serde::de::DeserializeOwned + serde::Serialize + Default,
{
    match value {
        Some(value) if !is_nullish(value)? => {
            let known = cjm_core::js_options::option_keys::<T>();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            data(value, name, &known)
        }
        _ => Ok(T::default()),
    }
}

/// Survey answers: an array of numbers or any numeric typed array (`Float64Array`, `Uint8Array`,
/// …). Whether each answer is on the scale is the core's call (`invalid_response`).
pub fn responses(value: &Unknown, name: &str) -> Outcome<Vec<f64>> {
    let env = value.value().env;
    let mut length = 0u32;
    if value.is_array()? {
        check(
            unsafe { sys::napi_get_array_length(env, value.raw(), &mut length) },
            "cannot read the array's length",
        )?;
    } else if value.is_typedarray()? {
        let mut kind = 0;
        let mut len = 0usize;
        let mut data = ptr::null_mut();
        let mut buffer = ptr::null_mut();
        let mut offset = 0usize;
        check(
            unsafe {
                sys::napi_get_typedarray_info(
                    env,
                    value.raw(),
                    &mut kind,
                    &mut len,
                    &mut data,
                    &mut buffer,
                    &mut offset,
                )
            },
            "cannot read the typed array",
        )?;
        length = u32::try_from(len)
            .map_err(|_| invalid_argument(format!("{name} holds too many answers")))?;
    } else {
        return Err(invalid_argument(format!(
            "{name} must be an array of numbers or a typed array, not {}",
            type_name(value)?
        )));
    }
    let mut answers = Vec::with_capacity(length as usize);
    for index in 0..length {
        let mut element = ptr::null_mut();
        check(
            unsafe { sys::napi_get_element(env, value.raw(), index, &mut element) },
            "cannot read an answer",
        )?;
        let element = unsafe { Unknown::from_raw_unchecked(env, element) };
        if element.get_type()? != ValueType::Number {
            return Err(invalid_argument(format!(
                "{name}[{index}] must be a number, not {}",
                type_name(&element)?
            )));
        }
        answers.push(unsafe { f64::from_napi_value(env, element.raw())? });
    }
    Ok(answers)
}
