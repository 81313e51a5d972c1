//! No input makes the core panic, and JSON/YAML round trips are lossless.

use cjm_core::{Format, LoadOptions, parse_journey, parse_journey_bytes, write_journey};
use proptest::prelude::*;

fn sports_nutrition() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/sports-nutrition/journey.yaml"
    );
    std::fs::read_to_string(path).expect("example exists")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for format in Format::ALL {
            let _ = parse_journey_bytes(&bytes, format, &LoadOptions::default());
        }
    }

    #[test]
    fn mutated_examples_never_panic(cut in 0usize..20_000, insert in "[\\[\\]{}:,\"'#\\-\n &*!|>%@`]{0,8}") {
        // Damage a real file at a random place with YAML/JSON/Mermaid/CSV punctuation.
        let text = sports_nutrition();
        let at = text.char_indices().map(|(i, _)| i).nth(cut % text.chars().count()).unwrap_or(0);
        let damaged = format!("{}{}{}", &text[..at], insert, &text[at..]);
        for format in Format::ALL {
            if let Ok(journey) = parse_journey(&damaged, format) {
                let _ = cjm_core::validate(&journey, &Default::default());
                for out in Format::ALL {
                    let _ = write_journey(&journey, out);
                }
            }
        }
    }

    #[test]
    fn text_fields_round_trip_through_json_and_yaml(title in "\\PC{0,40}", name in "[\\p{Cyrillic}\\p{Latin} :#'\"-]{1,30}", score in -2.0f64..=2.0) {
        let mut journey = cjm_core::template("classic", "en").expect("template");
        journey.title = title;
        journey.stages[0].touchpoints[0].name = name;
        journey.stages[0].touchpoints[0].emotions.push(cjm_core::EmotionScore {
            persona: None,
            score,
            sample_size: Some(3),
            extensions: Default::default(),
        });
        for format in [Format::Json, Format::Yaml] {
            let text = write_journey(&journey, format).expect("writes");
            let again = parse_journey(&text, format).expect("reads back");
            prop_assert_eq!(&again, &journey);
        }
    }
}
