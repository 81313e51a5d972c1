//! Plain data handed over by a host language (JS objects in Node and the browser): JSON's value
//! model plus the non-finite numbers a JS number can be and JSON cannot carry. The bindings walk
//! their own values into a [`PlainTree`]; what the tree means is decided here, once.

use crate::error::ErrorCode;
use serde_json::{Map, Number, Value};

use super::journey_from_value;
use crate::error::{CjmError, Location, Result};
use crate::model::Journey;
use crate::validate::pointer_segment;

/// JSON's value model plus NaN and ±Infinity (YAML's value model has both).
pub type PlainTree = serde_yaml_ng::Value;

/// The tree as JSON, each non-finite number replaced by `0`, with the JSON pointers of those
/// numbers in document order.
pub fn tree_to_json(tree: &PlainTree) -> (Value, Vec<String>) {
    let mut non_finite = Vec::new();
    let json = convert(tree, &mut String::new(), &mut non_finite);
    (json, non_finite)
}

fn convert(tree: &PlainTree, path: &mut String, non_finite: &mut Vec<String>) -> Value {
    match tree {
        PlainTree::Null => Value::Null,
        PlainTree::Bool(flag) => Value::Bool(*flag),
        PlainTree::Number(number) => {
            if let Some(n) = number.as_i64() {
                Value::from(n)
            } else if let Some(n) = number.as_u64() {
                Value::from(n)
            } else {
                let n = number.as_f64().unwrap_or(f64::NAN);
                Number::from_f64(n).map(Value::Number).unwrap_or_else(|| {
                    non_finite.push(path.clone());
                    Value::from(0)
                })
            }
        }
        PlainTree::String(text) => Value::String(text.clone()),
        PlainTree::Sequence(items) => {
            let mark = path.len();
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                path.push('/');
                path.push_str(&index.to_string());
                out.push(convert(item, path, non_finite));
                path.truncate(mark);
            }
            Value::Array(out)
        }
        PlainTree::Mapping(mapping) => {
            let mark = path.len();
            let mut out = Map::with_capacity(mapping.len());
            for (key, item) in mapping {
                let key = key.as_str().unwrap_or_default().to_string();
                path.push('/');
                path.push_str(&pointer_segment(&key));
                let item = convert(item, path, non_finite);
                path.truncate(mark);
                out.insert(key, item);
            }
            Value::Object(out)
        }
        PlainTree::Tagged(tagged) => convert(&tagged.value, path, non_finite),
    }
}

/// A journey from a plain tree. Errors carry the JSON pointer of the bad value; a non-finite
/// number where the model takes a float is kept (the validator reports it as
/// `non_finite_number`), and one where it cannot go is named as such at its pointer.
pub fn journey_from_tree(tree: PlainTree) -> Result<Journey> {
    // The JSON reading, with 0 standing in for each non-finite number, gives the core's messages
    // and pointers; when it reads, the tree itself is read so that NaN is kept.
    let (json, non_finite) = tree_to_json(&tree);
    match journey_from_value(json) {
        Ok(journey) if non_finite.is_empty() => Ok(journey),
        // Only the non-finite numbers differ from what was just read, so a failure here sits at
        // one of them (an integer field such as `format_version`).
        Ok(_) => serde_yaml_ng::from_value(tree).map_err(|error| {
            let path = non_finite.first().cloned().unwrap_or_default();
            CjmError::parse(
                ErrorCode::WrongType,
                error.to_string(),
                Location::pointer(path),
            )
        }),
        Err(CjmError::Parse {
            code,
            message,
            location,
        }) if location
            .path
            .as_ref()
            .is_some_and(|path| non_finite.contains(path)) =>
        {
            // Name the value the caller passed, not the stand-in.
            let message = message.replace("integer `0`", "a non-finite number (NaN or Infinity)");
            Err(CjmError::parse(code, message, location))
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(yaml: &str) -> PlainTree {
        serde_yaml_ng::from_str(yaml).expect("yaml")
    }

    #[test]
    fn non_finite_numbers_are_listed_by_pointer() {
        let (json, non_finite) = tree_to_json(&tree("{a: [1, .nan], 'b/c': {d: -.inf}, e: 2.5}"));
        assert_eq!(non_finite, ["/a/1", "/b~1c/d"]);
        assert_eq!(json["a"][1], 0);
        assert_eq!(json["e"], 2.5);
    }

    #[test]
    fn a_journey_keeps_nan_where_floats_go_and_names_it_where_they_cannot() {
        let kept = journey_from_tree(tree(
            "{id: j, title: T, stages: [{id: s, name: S, touchpoints: [{id: t, name: N, emotions: [{score: .nan}]}]}]}",
        ))
        .expect("reads");
        assert!(kept.stages[0].touchpoints[0].emotions[0].score.is_nan());
        let refused =
            journey_from_tree(tree("{id: j, title: T, format_version: .nan, stages: []}"))
                .unwrap_err();
        assert_eq!(refused.location().path.as_deref(), Some("/format_version"));
        assert!(refused.to_string().contains("NaN"), "{refused}");
        let wrong = journey_from_tree(tree("{id: j, title: 5, stages: []}")).unwrap_err();
        assert_eq!(wrong.location().path.as_deref(), Some("/title"));
    }
}
