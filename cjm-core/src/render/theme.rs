//! Colours. Every colour in the output comes from here, never from a journey file.

use super::Theme;
use crate::model::OpportunityStatus;
use crate::score::TargetStatus;

pub(crate) struct Palette {
    pub background: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    pub grid: &'static str,
    pub stage_even: &'static str,
    pub stage_odd: &'static str,
    pub header: &'static str,
    pub header_text: &'static str,
    pub header_muted: &'static str,
    pub card: &'static str,
    pub card_border: &'static str,
    pub gutter: &'static str,
    pub neutral_line: &'static str,
    pub combined: &'static str,
    pub valley: &'static str,
    pub peak: &'static str,
    pub no_data: &'static str,
    /// Badge fill and text for severities 1..5.
    pub severity: [(&'static str, &'static str); 5],
    pub met: &'static str,
    pub at_risk: &'static str,
    /// `at_risk` as text on the background and on cards (the fill is too light for text).
    pub at_risk_ink: &'static str,
    /// Fill of an opportunity that is only an idea (white text on it).
    pub idea: &'static str,
    pub missed: &'static str,
    pub unknown: &'static str,
    pub personas: [&'static str; 6],
    /// Friction ramp: 0, 50, 100 (RGB).
    pub ramp: [(u8, u8, u8); 3],
    pub ramp_text_dark: &'static str,
    pub ramp_text_light: &'static str,
    pub as_is: &'static str,
    pub to_be: &'static str,
    pub better: &'static str,
    pub worse: &'static str,
}

const LIGHT: Palette = Palette {
    background: "#ffffff",
    text: "#1f2933",
    muted: "#5f6b7a",
    grid: "#d5dbe3",
    stage_even: "#f7f9fb",
    stage_odd: "#eef2f7",
    header: "#27384d",
    header_text: "#ffffff",
    header_muted: "#c9d3df",
    card: "#ffffff",
    card_border: "#c3ccd7",
    gutter: "#e6ebf1",
    neutral_line: "#8a96a5",
    combined: "#1f2933",
    valley: "#c62828",
    peak: "#2e7d32",
    no_data: "#e3e7ec",
    severity: [
        ("#c5e1a5", "#1f2933"),
        ("#fff176", "#1f2933"),
        ("#ffb74d", "#1f2933"),
        ("#f4511e", "#ffffff"),
        ("#b71c1c", "#ffffff"),
    ],
    met: "#2e7d32",
    at_risk: "#f9a825",
    at_risk_ink: "#9a5b00",
    idea: "#546e7a",
    missed: "#c62828",
    unknown: "#90a4ae",
    personas: [
        "#1565c0", "#ef6c00", "#7b1fa2", "#00897b", "#ad1457", "#6d4c41",
    ],
    ramp: [(0xd8, 0xf0, 0xd2), (0xff, 0xd5, 0x4f), (0xc6, 0x28, 0x28)],
    ramp_text_dark: "#1f2933",
    ramp_text_light: "#ffffff",
    as_is: "#78909c",
    to_be: "#1565c0",
    better: "#2e7d32",
    worse: "#c62828",
};

const DARK: Palette = Palette {
    background: "#14181f",
    text: "#e6e9ee",
    muted: "#9aa5b4",
    grid: "#323a46",
    stage_even: "#1a1f27",
    stage_odd: "#20262f",
    header: "#2f4560",
    header_text: "#ffffff",
    header_muted: "#b8c6d6",
    card: "#262d38",
    card_border: "#3d4757",
    gutter: "#1d232c",
    neutral_line: "#6f7b8b",
    combined: "#e6e9ee",
    valley: "#ff6b6b",
    peak: "#7bd88f",
    no_data: "#2a313c",
    severity: [
        ("#9ccc65", "#14181f"),
        ("#fdd835", "#14181f"),
        ("#ffa726", "#14181f"),
        ("#f4511e", "#ffffff"),
        ("#e53935", "#ffffff"),
    ],
    met: "#66bb6a",
    at_risk: "#ffca28",
    at_risk_ink: "#ffca28",
    idea: "#607d8b",
    missed: "#ef5350",
    unknown: "#78909c",
    personas: [
        "#64b5f6", "#ffb74d", "#ce93d8", "#4db6ac", "#f48fb1", "#bcaaa4",
    ],
    ramp: [(0x2e, 0x4d, 0x34), (0xb0, 0x8a, 0x1e), (0xd3, 0x3a, 0x3a)],
    ramp_text_dark: "#ffffff",
    ramp_text_light: "#ffffff",
    as_is: "#90a4ae",
    to_be: "#64b5f6",
    better: "#66bb6a",
    worse: "#ef5350",
};

impl Palette {
    pub(crate) fn of(theme: Theme) -> &'static Palette {
        match theme {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
        }
    }

    /// Badge colours for a severity (clamped to 1..5).
    pub(crate) fn severity(&self, severity: i64) -> (&'static str, &'static str) {
        let i = severity.clamp(1, 5) as usize - 1;
        self.severity
            .get(i)
            .copied()
            .unwrap_or(("#888888", "#ffffff"))
    }

    pub(crate) fn target(&self, status: TargetStatus) -> &'static str {
        match status {
            TargetStatus::Met => self.met,
            TargetStatus::AtRisk => self.at_risk,
            TargetStatus::Missed => self.missed,
            TargetStatus::Unknown => self.unknown,
        }
    }

    /// The colour of a target status as text.
    pub(crate) fn target_ink(&self, status: TargetStatus) -> &'static str {
        match status {
            TargetStatus::AtRisk => self.at_risk_ink,
            other => self.target(other),
        }
    }

    pub(crate) fn opportunity(&self, status: OpportunityStatus) -> &'static str {
        match status {
            OpportunityStatus::Idea => self.idea,
            OpportunityStatus::Planned => self.to_be,
            OpportunityStatus::InProgress => self.personas[2],
            OpportunityStatus::Done => self.met,
            OpportunityStatus::Dropped => self.grid,
        }
    }

    pub(crate) fn persona(&self, index: usize) -> &'static str {
        self.personas
            .get(index % self.personas.len())
            .copied()
            .unwrap_or(self.text)
    }

    /// Heat colour for a friction index 0..100, and the text colour to write on it.
    pub(crate) fn heat(&self, index: f64) -> (String, &'static str) {
        let t = if index.is_finite() {
            index.clamp(0.0, 100.0) / 100.0
        } else {
            0.0
        };
        let (a, b, u) = if t <= 0.5 {
            (self.ramp[0], self.ramp[1], t * 2.0)
        } else {
            (self.ramp[1], self.ramp[2], (t - 0.5) * 2.0)
        };
        let mix = |x: u8, y: u8| -> u8 {
            let v = f64::from(x) + (f64::from(y) - f64::from(x)) * u;
            v.round().clamp(0.0, 255.0) as u8
        };
        let colour = format!(
            "#{:02x}{:02x}{:02x}",
            mix(a.0, b.0),
            mix(a.1, b.1),
            mix(a.2, b.2)
        );
        let text = if t > 0.62 {
            self.ramp_text_light
        } else {
            self.ramp_text_dark
        };
        (colour, text)
    }
}
