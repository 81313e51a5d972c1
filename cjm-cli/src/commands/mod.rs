//! One module per subcommand, each with its arguments and its `run`, and the arguments
//! several of them share.

use cjm_core::CjmError;
use cjm_core::ErrorCode;
use clap::ValueEnum;

use crate::failure::{Failure, cjm_failure};

pub mod apply;
pub mod compare;
pub mod convert;
pub mod funnel;
pub mod gaps;
pub mod info;
pub mod loyalty;
pub mod new;
pub mod paths;
pub mod plan;
pub mod render;
pub mod report;
pub mod retention;
pub mod schema;
pub mod score;
pub mod validate;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

/// The output of a command whose result is also a table (the one every front shows).
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TableFormat {
    Text,
    Json,
    /// The result's table as CSV (Python's `to_csv()`, JS's `tableCsv`).
    Csv,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Mode {
    Default,
    StrictOrder,
    StrictDeduplication,
    StrictIncrease,
}

impl From<Mode> for cjm_core::FunnelMode {
    fn from(mode: Mode) -> Self {
        match mode {
            Mode::Default => cjm_core::FunnelMode::Default,
            Mode::StrictOrder => cjm_core::FunnelMode::StrictOrder,
            Mode::StrictDeduplication => cjm_core::FunnelMode::StrictDeduplication,
            Mode::StrictIncrease => cjm_core::FunnelMode::StrictIncrease,
        }
    }
}

/// How `render` and `report` draw: theme, language, what to show, the output budget.
#[derive(clap::Args)]
pub struct LookArgs {
    /// light or dark.
    #[arg(long, default_value = "light")]
    theme: String,
    /// Language of labels: en or ru.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Only these personas (ids, comma-separated).
    #[arg(long, value_delimiter = ',')]
    personas: Vec<String>,
    /// Only these lanes, in this order (touchpoints, actions, thoughts, feelings, questions,
    /// expectations, emotions, pain_points, opportunities, metrics, friction).
    #[arg(long, value_delimiter = ',')]
    lanes: Vec<String>,
    /// Refuse (output_too_large) when the output could exceed this many bytes (default 64 MiB;
    /// 0: no limit).
    #[arg(long, value_name = "BYTES", default_value_t = cjm_core::DEFAULT_MAX_OUTPUT_BYTES)]
    max_output_bytes: u64,
}

impl LookArgs {
    /// The render options, checked by core (an unknown theme or lane is a usage error).
    fn options(&self) -> Result<cjm_core::RenderOptions, Failure> {
        let value = serde_json::json!({
            "theme": self.theme,
            "language": self.lang,
            "personas": self.personas,
            "lanes": self.lanes,
            "max_output_bytes": self.max_output_bytes,
        });
        serde_json::from_value(value).map_err(|e| {
            cjm_failure(CjmError::usage(
                ErrorCode::InvalidOption,
                format!("render options: {e}"),
            ))
        })
    }
}

/// `--weights` of `score` and `gaps`: friction weights as JSON, defaults where absent.
fn friction_weights(text: Option<&str>) -> Result<cjm_core::FrictionWeights, Failure> {
    match text {
        None => Ok(cjm_core::FrictionWeights::default()),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            cjm_failure(CjmError::usage(
                ErrorCode::InvalidOption,
                format!("--weights: {e}"),
            ))
        }),
    }
}

/// A funnel's steps, window and mode, as `funnel` and `compare` take them.
#[derive(clap::Args)]
pub struct StepsArgs {
    /// Steps, comma-separated: `view,cart,purchase` (for steps holding commas use --step).
    #[arg(
        long,
        value_delimiter = ',',
        required_unless_present = "step",
        conflicts_with = "step"
    )]
    steps: Vec<String>,
    /// One step, repeatable, in the step grammar: an event, any of several (`a|b`), with
    /// property filters (`purchase[platform=mobile]`, `[key!=v]`, `[key~regex]`, `[amount>=100]`).
    #[arg(long, value_name = "STEP")]
    step: Vec<String>,
    /// Conversion window from the first step.
    #[arg(long, default_value = "7d")]
    window: String,
    #[arg(long, value_enum, default_value = "default")]
    mode: Mode,
}

impl StepsArgs {
    /// The funnel, broken down `by` a segment column when given.
    pub fn spec(self, by: Option<String>) -> cjm_core::FunnelSpec {
        cjm_core::FunnelSpec {
            steps: if self.step.is_empty() {
                self.steps
            } else {
                self.step
            },
            window: self.window,
            mode: self.mode.into(),
            by,
            interval: None,
        }
    }
}
