//! Starter journeys: the classic six-stage map and the e-commerce stages, in English and Russian.

use crate::error::ErrorCode;
use crate::error::{CjmError, Result};
use crate::formats::{Format, parse_journey};
use crate::model::Journey;

pub const TEMPLATE_NAMES: [&str; 2] = ["classic", "ecommerce"];
pub const TEMPLATE_LANGUAGES: [&str; 2] = ["en", "ru"];

fn source(name: &str, lang: &str) -> Option<&'static str> {
    Some(match (name, lang) {
        ("classic", "en") => include_str!("../templates/classic.en.yaml"),
        ("classic", "ru") => include_str!("../templates/classic.ru.yaml"),
        ("ecommerce", "en") => include_str!("../templates/ecommerce.en.yaml"),
        ("ecommerce", "ru") => include_str!("../templates/ecommerce.ru.yaml"),
        _ => return None,
    })
}

/// A new journey from a template: `classic` (awareness → loyalty) or `ecommerce`
/// (need → repeat purchase), in `en` or `ru`.
///
/// ```
/// let journey = cjm_core::template("classic", "ru").unwrap();
/// assert_eq!(journey.stages.len(), 6);
/// ```
pub fn template(name: &str, lang: &str) -> Result<Journey> {
    if !TEMPLATE_NAMES.contains(&name) {
        return Err(CjmError::usage(
            ErrorCode::UnknownTemplate,
            format!(
                "unknown template {name:?}; choose one of {}",
                TEMPLATE_NAMES.join(", ")
            ),
        ));
    }
    let text = source(name, lang).ok_or_else(|| {
        CjmError::usage(
            ErrorCode::UnknownLanguage,
            format!(
                "template language {lang:?} is not available; choose one of {}",
                TEMPLATE_LANGUAGES.join(", ")
            ),
        )
    })?;
    parse_journey(text, Format::Yaml)
}
