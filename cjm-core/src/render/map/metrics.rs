//! The map's measurements, in px. The layout (`layout.rs`) places everything with these; the
//! drawing (`draw.rs`) only uses the text sizes, to set the fonts the layout measured with.
//!
//! `tests/render.rs` relies on the curve lane ones: a point of normalised value v sits at
//! y = CURVE_TOP + (1 − v) / 2 × CURVE_PLOT inside the lane group.

use super::super::common::Font;

/// A font size and the line height its lines are set at.
#[derive(Clone, Copy)]
pub(super) struct TextSize {
    pub size: f64,
    pub line: f64,
}

impl TextSize {
    const fn new(size: f64, line: f64) -> TextSize {
        TextSize { size, line }
    }

    /// This size in `fill`.
    pub(super) fn font(self, fill: &'static str) -> Font {
        Font::new(self.size, self.line, fill)
    }
}

// ---------------------------------------------------------------------------------------------
// Text sizes

/// Card text: actions, thoughts, pain points, opportunity titles.
pub(super) const BODY: TextSize = TextSize::new(11.5, 15.0);
/// Secondary text: channels, notes, keys, status words.
pub(super) const SMALL: TextSize = TextSize::new(10.5, 13.0);
/// Touchpoint names and metric values.
pub(super) const STRONG: TextSize = TextSize::new(12.5, 16.0);
/// Lane titles in the gutter (wrapped as if at [`STRONG`] size).
pub(super) const LANE_TITLE: TextSize = TextSize::new(13.0, 16.0);
/// The note of a map without stages.
pub(super) const EMPTY_NOTE: TextSize = TextSize::new(13.0, 16.0);
/// The journey title above the map.
pub(super) const JOURNEY_TITLE: TextSize = TextSize::new(20.0, 26.0);
/// The facts line under the journey title (state, owner, update, friction).
pub(super) const JOURNEY_FACTS: TextSize = TextSize::new(12.0, 16.0);
/// Stage names in the headers.
pub(super) const STAGE_NAME: TextSize = TextSize::new(15.0, 19.0);
/// Stage goals in the headers.
pub(super) const STAGE_GOAL: TextSize = TextSize::new(11.0, 14.0);
/// The digit in a pain point's severity badge.
pub(super) const SEVERITY_DIGIT: TextSize = TextSize::new(12.0, 14.0);
/// An opportunity's rank and high-priority star.
pub(super) const RANK: TextSize = TextSize::new(12.0, 15.0);
/// The friction index in a heat cell.
pub(super) const HEAT_INDEX: TextSize = TextSize::new(14.0, 18.0);
/// The heart bullet is wider than the other marks: smaller, so it stays clear of the text.
pub(super) const HEART_SIZE: f64 = 9.0;

// ---------------------------------------------------------------------------------------------
// Page

/// Space around the whole map.
pub(super) const MARGIN: f64 = 16.0;
/// Width of the gutter at the left holding each lane's title, hint and key.
pub(super) const GUTTER: f64 = 168.0;
/// Width of a touchpoint column (a stage without touchpoints gets one empty column).
pub(super) const COLUMN: f64 = 200.0;
/// Width of the map's body, in columns, when there are no stages.
pub(super) const EMPTY_MAP_COLUMNS: f64 = 3.0;
/// Room under the lanes for the note of a map without stages.
pub(super) const EMPTY_NOTE_H: f64 = 40.0;
/// From the last lane's bottom to the top of that note.
pub(super) const EMPTY_NOTE_DY: f64 = 12.0;

// ---------------------------------------------------------------------------------------------
// Title block

/// Space above the title and below the facts line, counted in the block's height.
pub(super) const TITLE_PAD: f64 = 12.0;
/// Gap between the title's last line and the facts line.
pub(super) const TITLE_FACTS_GAP: f64 = 2.0;
/// Lines the journey title may wrap to.
pub(super) const TITLE_MAX_LINES: usize = 2;
/// Lines the facts line may wrap to.
pub(super) const FACTS_MAX_LINES: usize = 2;

// ---------------------------------------------------------------------------------------------
// Stage headers

/// Smallest height of the header row.
pub(super) const HEADER_MIN_H: f64 = 60.0;
/// Gap between the header row and the first lane.
pub(super) const HEADER_GAP: f64 = 4.0;
/// Corner radius of a header box.
pub(super) const HEADER_RADIUS: f64 = 4.0;
/// Inset of a header box from its stage's column edges, so neighbours stay apart.
pub(super) const HEADER_INSET: f64 = 1.0;
/// Inset of header text from its stage's column edges, on top of [`LANE_PAD`].
pub(super) const HEADER_TEXT_INSET: f64 = 2.0;
/// Gap under the "STAGE N" line.
pub(super) const HEADER_NUMBER_GAP: f64 = 2.0;
/// Gap under the stage name.
pub(super) const HEADER_NAME_GAP: f64 = 4.0;
/// Gap under the stage goal.
pub(super) const HEADER_GOAL_GAP: f64 = 4.0;
/// Room at the bottom of a header for the row of duration and friction badge.
pub(super) const HEADER_FOOTER_H: f64 = 20.0;
/// How far above the header's bottom padding that row starts.
pub(super) const HEADER_FOOTER_RISE: f64 = 18.0;
/// Drop of the duration and of the badge's label from that row's top.
pub(super) const HEADER_FOOTER_TEXT_DY: f64 = 2.0;
/// Height of the stage friction badge.
pub(super) const BADGE_H: f64 = 17.0;
/// Corner radius of the badge (half its height: a pill).
pub(super) const BADGE_RADIUS: f64 = 8.5;
/// Room around the badge's label, both sides together.
pub(super) const BADGE_PAD_X: f64 = 14.0;
/// Lines a stage name may wrap to.
pub(super) const STAGE_NAME_MAX_LINES: usize = 2;
/// Lines a stage goal may wrap to.
pub(super) const STAGE_GOAL_MAX_LINES: usize = 3;

// ---------------------------------------------------------------------------------------------
// Lanes and their gutter

/// Padding inside a lane: above its first card and below its content, and between a column's
/// edges and its cards.
pub(super) const LANE_PAD: f64 = 8.0;
/// Smallest height of a card lane.
pub(super) const MIN_CARD_LANE_H: f64 = 34.0;
/// Inset of gutter text from the gutter's left edge and from the lane's top.
pub(super) const GUTTER_INSET: f64 = 10.0;
/// Width of gutter text (inset on both sides).
pub(super) const GUTTER_TEXT_W: f64 = GUTTER - 2.0 * GUTTER_INSET;
/// Gap under a lane title.
pub(super) const LANE_TITLE_GAP: f64 = 3.0;
/// Gap under a lane's hint.
pub(super) const LANE_HINT_GAP: f64 = 4.0;
/// Lines a lane title may wrap to.
pub(super) const LANE_TITLE_MAX_LINES: usize = 2;
/// Lines a lane hint may wrap to.
pub(super) const LANE_HINT_MAX_LINES: usize = 3;
/// Lines of the "+N not placed" note at the bottom of the gutter (room is kept for all).
pub(super) const UNPLACED_NOTE_LINES: usize = 2;

/// Width of a swatch of the severity key (pain point lane, one swatch per level 1–5).
pub(super) const SEVERITY_SWATCH_W: f64 = 18.0;
/// Height of a severity swatch.
pub(super) const SEVERITY_SWATCH_H: f64 = 16.0;
/// From one severity swatch's left edge to the next one's.
pub(super) const SEVERITY_SWATCH_STEP: f64 = 22.0;
/// Corner radius of a severity swatch.
pub(super) const SEVERITY_SWATCH_RADIUS: f64 = 3.0;
/// Height of the severity key row.
pub(super) const SEVERITY_KEY_H: f64 = 20.0;
/// Drop of a severity digit from its swatch's top.
pub(super) const SEVERITY_KEY_DIGIT_DY: f64 = 1.0;
/// Height of a row of the status keys (metric targets, opportunity statuses).
pub(super) const KEY_ROW_H: f64 = SMALL.line + 1.0;
/// Radius of a status dot (metric key and metric cards).
pub(super) const DOT_R: f64 = 4.0;
/// A status dot's centre, right of its row's start.
pub(super) const DOT_DX: f64 = 4.0;
/// A status dot's centre, below its row's top (the middle of a SMALL line).
pub(super) const DOT_DY: f64 = 6.5;
/// From a status dot's row start to the label after the dot.
pub(super) const DOT_LABEL_X: f64 = 12.0;
/// Side of a swatch of the opportunity status key.
pub(super) const STATUS_SWATCH: f64 = 10.0;
/// Drop of a status swatch from its row's top.
pub(super) const STATUS_SWATCH_DY: f64 = 2.0;
/// From a status swatch's row start to its label.
pub(super) const STATUS_SWATCH_LABEL_X: f64 = 14.0;
/// Corner radius of a status swatch.
pub(super) const STATUS_SWATCH_RADIUS: f64 = 2.0;
/// Inset of the emotion scale labels' right edge from the gutter's right edge.
pub(super) const SCALE_LABEL_RIGHT_INSET: f64 = 8.0;
/// How far above its guide line a scale label's top is, so the text sits on the line.
pub(super) const SCALE_LABEL_RISE: f64 = 7.0;

// ---------------------------------------------------------------------------------------------
// Cards

/// Width of a card in a touchpoint column (and in a stage band's grid).
pub(super) const CARD_W: f64 = COLUMN - 2.0 * LANE_PAD;
/// Padding inside a card.
pub(super) const CARD_PAD: f64 = 7.0;
/// Width of text inside a card.
pub(super) const CARD_TEXT_W: f64 = CARD_W - 2.0 * CARD_PAD;
/// Gap between stacked cards, and between the rows of a stage band.
pub(super) const CARD_GAP: f64 = 6.0;
/// Corner radius of a card.
pub(super) const CARD_RADIUS: f64 = 5.0;
/// Cards shown in a column; past it the last one becomes "+N more".
pub(super) const MAX_CARDS: usize = 6;
/// Height of a "+N more" line with the gap above it.
pub(super) const MORE_H: f64 = SMALL.line + 2.0;
/// Inset of a "+N more" card from the column's card edge.
pub(super) const MORE_X: f64 = 2.0;

/// Lines a touchpoint name may wrap to.
pub(super) const TOUCHPOINT_NAME_LINES: usize = 3;
/// Gap under a touchpoint name (counted in the height only when a channel follows).
pub(super) const TOUCHPOINT_NAME_GAP: f64 = 2.0;

/// Inset of a bullet's mark from the card's left.
pub(super) const BULLET_MARK_X: f64 = 2.0;
/// Inset of a bullet's text from the card's left.
pub(super) const BULLET_TEXT_X: f64 = 12.0;
/// Width of a bullet's text.
pub(super) const BULLET_TEXT_W: f64 = CARD_W - BULLET_TEXT_X;
/// Gap between bullets.
pub(super) const BULLET_GAP: f64 = 3.0;
/// Lines a bullet card shows in all; the items past them become "+N more".
pub(super) const MAX_BULLET_LINES: usize = 9;
/// Lines one bullet may wrap to.
pub(super) const BULLET_ITEM_LINES: usize = 4;

/// Width of a pain point card's stripe in its severity's colour.
pub(super) const PAIN_STRIPE_W: f64 = 4.0;
/// Inset of the severity badge, on top of the card's padding.
pub(super) const SEVERITY_BADGE_X: f64 = 1.0;
/// Width of the severity badge.
pub(super) const SEVERITY_BADGE_W: f64 = 22.0;
/// Height of the severity badge; the pain text is never shorter.
pub(super) const SEVERITY_BADGE_H: f64 = 18.0;
/// Corner radius of the severity badge.
pub(super) const SEVERITY_BADGE_RADIUS: f64 = 4.0;
/// Gap between the severity badge and the pain text.
pub(super) const SEVERITY_BADGE_GAP: f64 = 6.0;
/// Drop of the severity digit from the badge's top.
pub(super) const SEVERITY_DIGIT_DY: f64 = 2.0;
/// Inset of the pain text, on top of the card's padding: right of the badge.
pub(super) const PAIN_TEXT_X: f64 = SEVERITY_BADGE_X + SEVERITY_BADGE_W + SEVERITY_BADGE_GAP;
/// Width of the pain text: the card's text width less 28 px for the badge (one less than the
/// inset, so the text may reach 1 px into the right padding).
pub(super) const PAIN_TEXT_W: f64 = CARD_TEXT_W - 28.0;
/// Lines the pain text may wrap to.
pub(super) const PAIN_TEXT_LINES: usize = 4;
/// Gap under the pain text.
pub(super) const PAIN_TEXT_GAP: f64 = 3.0;

/// Width of the coloured stripe at the left of opportunity and metric cards.
pub(super) const STRIPE_W: f64 = 5.0;
/// Corner radius of a card's stripe.
pub(super) const STRIPE_RADIUS: f64 = 2.0;
/// Inset of a striped card's text, on top of the card's padding, to clear the stripe.
pub(super) const STRIPED_TEXT_X: f64 = 3.0;
/// Width of a striped card's text.
pub(super) const STRIPED_TEXT_W: f64 = CARD_TEXT_W - 4.0;

/// Height of the row of rank, star and status pill above an opportunity's title.
pub(super) const OPPORTUNITY_BADGE_ROW_H: f64 = 17.0;
/// Gap after the rank.
pub(super) const RANK_GAP: f64 = 6.0;
/// Room the high-priority star takes, with its gap.
pub(super) const STAR_ADVANCE: f64 = 16.0;
/// Height of the status pill (its corners are half of it).
pub(super) const PILL_H: f64 = 15.0;
/// Room around the status pill's label, both sides together.
pub(super) const PILL_PAD_X: f64 = 10.0;
/// Drop of the pill's label from the pill's top.
pub(super) const PILL_TEXT_DY: f64 = 1.0;
/// Lines an opportunity title may wrap to.
pub(super) const OPPORTUNITY_TITLE_LINES: usize = 3;
/// Gap under an opportunity title.
pub(super) const OPPORTUNITY_TITLE_GAP: f64 = 2.0;

/// Lines a metric name may wrap to.
pub(super) const METRIC_NAME_LINES: usize = 2;
/// Gap under a metric name.
pub(super) const METRIC_NAME_GAP: f64 = 2.0;
/// Gap between a metric's value and its target when the target fits beside the value.
pub(super) const TARGET_AFTER_VALUE: f64 = 12.0;
/// Drop of a target beside the value, so the smaller text shares the value's baseline.
pub(super) const TARGET_BESIDE_VALUE_DY: f64 = 2.0;
/// Gap between the status word and the target when the target goes there instead.
pub(super) const TARGET_AFTER_WORD: f64 = 6.0;

// ---------------------------------------------------------------------------------------------
// Stage bands: stage-level cards in a dashed box above the stage's columns

/// Inset of a band's box from its stage's column edges.
pub(super) const BAND_INSET: f64 = LANE_PAD / 2.0;
/// Corner radius of a band's box.
pub(super) const BAND_RADIUS: f64 = 6.0;
/// Inset of the "whole stage" label from the stage's left edge.
pub(super) const BAND_LABEL_X: f64 = LANE_PAD + 2.0;
/// How far the label rises into the band's top padding.
pub(super) const BAND_LABEL_RISE: f64 = 2.0;
/// From the label's line to the first row of cards.
pub(super) const BAND_LABEL_GAP: f64 = 2.0;
/// Room the label takes in the band's height (2 px more than it uses: room under the last
/// row).
pub(super) const BAND_LABEL_ROOM: f64 = SMALL.line + 4.0;

// ---------------------------------------------------------------------------------------------
// Emotion curve lane

/// Top of the plot (value +1) below the lane's top.
pub(super) const CURVE_TOP: f64 = 36.0;
/// Height of the plot, from value +1 to value −1.
pub(super) const CURVE_PLOT: f64 = 140.0;
/// From the plot's bottom to the legend.
pub(super) const LEGEND_GAP: f64 = 26.0;
/// Room under the legend.
pub(super) const LEGEND_BOTTOM: f64 = 4.0;

// ---------------------------------------------------------------------------------------------
// Friction lane

/// Smallest height of the friction lane.
pub(super) const FRICTION_LANE_H: f64 = 62.0;
/// Drop of a heat cell from the lane's top.
pub(super) const HEAT_TOP: f64 = 10.0;
/// Height of a heat cell.
pub(super) const HEAT_H: f64 = 28.0;
/// Corner radius of a heat cell.
pub(super) const HEAT_RADIUS: f64 = 4.0;
/// Drop of the friction index from the cell's top.
pub(super) const HEAT_INDEX_DY: f64 = 5.0;
/// Drop of the "no data" word from the cell's top.
pub(super) const HEAT_NO_DATA_DY: f64 = 7.0;
/// Drop of the main components' names from the cell's top (under the cell).
pub(super) const HEAT_COMPONENTS_DY: f64 = 31.0;
/// How many components a cell names.
pub(super) const HEAT_COMPONENTS: usize = 2;
/// The least contribution (index points) for a component to be named.
pub(super) const HEAT_MIN_CONTRIBUTION: f64 = 0.5;
