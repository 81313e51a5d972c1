//! Lane titles, legends and report headings in English and Russian.

use super::{Lane, Language};
use crate::model::{JourneyState, Metric, MetricKind, OpportunityStatus};
use crate::score::{ComponentKind, GapKind, PlanFlag, ScoreMethod, TargetStatus};

pub(crate) struct Labels {
    pub lang: &'static str,
    pub touchpoints: &'static str,
    pub actions: &'static str,
    pub thoughts: &'static str,
    pub feelings: &'static str,
    pub questions: &'static str,
    pub expectations: &'static str,
    pub emotions: &'static str,
    pub pain_points: &'static str,
    pub opportunities: &'static str,
    pub metrics: &'static str,
    pub friction: &'static str,
    pub touchpoints_hint: &'static str,
    pub pain_hint: &'static str,
    pub opportunities_hint: &'static str,
    pub friction_hint: &'static str,
    pub goal: &'static str,
    pub duration: &'static str,
    pub backstage: &'static str,
    pub only: &'static str,
    pub positive: &'static str,
    pub neutral: &'static str,
    pub negative: &'static str,
    pub everyone: &'static str,
    pub valley: &'static str,
    pub lowest: &'static str,
    pub peak: &'static str,
    pub customers: &'static str,
    pub no_plan: &'static str,
    pub planned_fix: &'static str,
    pub owner: &'static str,
    pub no_owner: &'static str,
    pub high_priority: &'static str,
    pub target: &'static str,
    /// Status of a measured metric that has no target.
    pub no_target: &'static str,
    pub whole_stage: &'static str,
    pub more: &'static str,
    pub not_placed: &'static str,
    pub no_data: &'static str,
    pub no_stages: &'static str,
    pub as_is: &'static str,
    pub to_be: &'static str,
    pub stage_friction: &'static str,
    pub updated: &'static str,
    // Report.
    pub report: &'static str,
    pub summary: &'static str,
    pub map: &'static str,
    pub gaps: &'static str,
    pub plan: &'static str,
    pub unaddressed: &'static str,
    pub friction_table: &'static str,
    pub metrics_table: &'static str,
    pub comparison: &'static str,
    pub mean_emotion: &'static str,
    pub lowest_point: &'static str,
    pub friction_index: &'static str,
    pub coverage: &'static str,
    pub targets: &'static str,
    pub evidence_coverage: &'static str,
    pub days_since_update: &'static str,
    pub problems: &'static str,
    pub errors: &'static str,
    pub warnings: &'static str,
    pub unaddressed_count: &'static str,
    pub high_without_owner: &'static str,
    pub rank: &'static str,
    pub kind: &'static str,
    pub severity: &'static str,
    pub stage: &'static str,
    pub touchpoint: &'static str,
    pub description: &'static str,
    pub evidence: &'static str,
    pub opportunity: &'static str,
    pub score: &'static str,
    pub addresses: &'static str,
    pub due: &'static str,
    pub status: &'static str,
    pub flags: &'static str,
    pub index: &'static str,
    pub top_components: &'static str,
    pub metric: &'static str,
    pub value: &'static str,
    pub journey_level: &'static str,
    pub expected_but_low: &'static str,
    pub low_without_cause: &'static str,
    pub emotion: &'static str,
    pub added: &'static str,
    pub removed: &'static str,
    pub added_short: &'static str,
    pub removed_short: &'static str,
    pub worse_in_to_be: &'static str,
    pub nothing_unaddressed: &'static str,
    pub no_opportunities: &'static str,
    pub no_gaps: &'static str,
    pub share_positive: &'static str,
    pub peak_end: &'static str,
    pub generated_note: &'static str,
}

pub(crate) const EN: Labels = Labels {
    lang: "en",
    touchpoints: "Touchpoints",
    actions: "Actions",
    thoughts: "Thoughts",
    feelings: "Feelings",
    questions: "Questions",
    expectations: "Expectations",
    emotions: "Emotions",
    pain_points: "Pain points",
    opportunities: "Opportunities",
    metrics: "Metrics",
    friction: "Friction",
    touchpoints_hint: "channel · dashed = backstage",
    pain_hint: "badge = severity 1–5",
    opportunities_hint: "#rank in the plan",
    friction_hint: "index 0 smooth – 100 struggle",
    goal: "Goal",
    duration: "Expected",
    backstage: "backstage",
    only: "only",
    positive: "positive",
    neutral: "neutral",
    negative: "negative",
    everyone: "All customers",
    valley: "valley",
    lowest: "lowest",
    peak: "peak",
    customers: "of customers",
    no_plan: "no fix planned",
    planned_fix: "fix",
    owner: "Owner",
    no_owner: "no owner",
    high_priority: "high priority",
    target: "target",
    no_target: "no target",
    whole_stage: "whole stage",
    more: "more",
    not_placed: "not linked to a stage",
    no_data: "no data",
    no_stages: "This journey has no stages yet.",
    as_is: "as-is",
    to_be: "to-be",
    stage_friction: "friction",
    updated: "updated",
    report: "Customer journey report",
    summary: "Summary",
    map: "Journey map",
    gaps: "Gaps, most severe first",
    plan: "Improvement plan",
    unaddressed: "Pain points no opportunity addresses",
    friction_table: "Friction by touchpoint",
    metrics_table: "Metrics against targets",
    comparison: "As-is vs to-be",
    mean_emotion: "Mean emotion",
    lowest_point: "Lowest point",
    friction_index: "Friction index",
    coverage: "coverage",
    targets: "Targets",
    evidence_coverage: "Evidence coverage",
    days_since_update: "Days since update",
    problems: "Validation",
    errors: "errors",
    warnings: "warnings",
    unaddressed_count: "Unaddressed pain points",
    high_without_owner: "High priority without owner",
    rank: "#",
    kind: "Kind",
    severity: "Severity",
    stage: "Stage",
    touchpoint: "Touchpoint",
    description: "Description",
    evidence: "Evidence",
    opportunity: "Opportunity",
    score: "Score",
    addresses: "Addresses",
    due: "Due",
    status: "Status",
    flags: "Flags",
    index: "Index",
    top_components: "Largest contributions",
    metric: "Metric",
    value: "Value",
    journey_level: "whole journey",
    expected_but_low: "customers expected this, yet feel below neutral",
    low_without_cause: "feelings below neutral and no pain point recorded: find out why",
    emotion: "Emotion",
    added: "Added in to-be",
    removed: "Removed in to-be",
    added_short: "new",
    removed_short: "removed",
    worse_in_to_be: "Worse in to-be",
    nothing_unaddressed: "Every pain point is addressed by an opportunity.",
    no_opportunities: "No opportunities recorded.",
    no_gaps: "No gaps found.",
    share_positive: "positive",
    peak_end: "peak–end",
    generated_note: "Generated by cjm.",
};

pub(crate) const RU: Labels = Labels {
    lang: "ru",
    touchpoints: "Точки контакта",
    actions: "Действия",
    thoughts: "Мысли",
    feelings: "Чувства",
    questions: "Вопросы",
    expectations: "Ожидания",
    emotions: "Эмоции",
    pain_points: "Боли",
    opportunities: "Возможности",
    metrics: "Метрики",
    friction: "Трение",
    touchpoints_hint: "канал · пунктир = закулисье",
    pain_hint: "значок = серьёзность 1–5",
    opportunities_hint: "#место в плане",
    friction_hint: "индекс 0 гладко – 100 трудно",
    goal: "Цель",
    duration: "Ожидаемо",
    backstage: "закулисье",
    only: "только",
    positive: "позитив",
    neutral: "нейтрально",
    negative: "негатив",
    everyone: "Все клиенты",
    valley: "провал",
    lowest: "минимум",
    peak: "пик",
    customers: "клиентов",
    no_plan: "решения нет",
    planned_fix: "решение",
    owner: "Ответственный",
    no_owner: "нет ответственного",
    high_priority: "высокий приоритет",
    target: "цель",
    no_target: "без цели",
    whole_stage: "весь этап",
    more: "ещё",
    not_placed: "не привязаны к этапу",
    no_data: "нет данных",
    no_stages: "В этом пути пока нет этапов.",
    as_is: "как есть",
    to_be: "как будет",
    stage_friction: "трение",
    updated: "обновлено",
    report: "Отчёт по пути клиента",
    summary: "Сводка",
    map: "Карта пути клиента",
    gaps: "Разрывы, самые серьёзные сверху",
    plan: "План улучшений",
    unaddressed: "Боли, которые не закрывает ни одна возможность",
    friction_table: "Трение по точкам контакта",
    metrics_table: "Метрики и цели",
    comparison: "Как есть и как будет",
    mean_emotion: "Средняя эмоция",
    lowest_point: "Самая низкая точка",
    friction_index: "Индекс трения",
    coverage: "покрытие",
    targets: "Цели",
    evidence_coverage: "Покрытие данными",
    days_since_update: "Дней с обновления",
    problems: "Проверка",
    errors: "ошибок",
    warnings: "предупреждений",
    unaddressed_count: "Боли без решения",
    high_without_owner: "Приоритетное без ответственного",
    rank: "№",
    kind: "Вид",
    severity: "Серьёзность",
    stage: "Этап",
    touchpoint: "Точка контакта",
    description: "Описание",
    evidence: "Данные",
    opportunity: "Возможность",
    score: "Оценка",
    addresses: "Закрывает",
    due: "Срок",
    status: "Статус",
    flags: "Замечания",
    index: "Индекс",
    top_components: "Главные составляющие",
    metric: "Метрика",
    value: "Значение",
    journey_level: "весь путь",
    expected_but_low: "клиенты ждали этого, а эмоция ниже нейтральной",
    low_without_cause: "эмоция ниже нейтральной, а боль не записана: выясните причину",
    emotion: "Эмоция",
    added: "Добавлено в «как будет»",
    removed: "Убрано в «как будет»",
    added_short: "новое",
    removed_short: "убрано",
    worse_in_to_be: "Хуже в «как будет»",
    nothing_unaddressed: "Каждую боль закрывает хотя бы одна возможность.",
    no_opportunities: "Возможности не записаны.",
    no_gaps: "Разрывов не найдено.",
    share_positive: "позитивных",
    peak_end: "пик–конец",
    generated_note: "Создано cjm.",
};

impl Labels {
    pub(crate) fn of(language: Language) -> &'static Labels {
        match language {
            Language::En => &EN,
            Language::Ru => &RU,
        }
    }

    pub(crate) fn lane(&self, lane: Lane) -> &'static str {
        match lane {
            Lane::Touchpoints => self.touchpoints,
            Lane::Actions => self.actions,
            Lane::Thoughts => self.thoughts,
            Lane::Feelings => self.feelings,
            Lane::Questions => self.questions,
            Lane::Expectations => self.expectations,
            Lane::Emotions => self.emotions,
            Lane::PainPoints => self.pain_points,
            Lane::Opportunities => self.opportunities,
            Lane::Metrics => self.metrics,
            Lane::Friction => self.friction,
        }
    }

    pub(crate) fn state(&self, state: JourneyState) -> &'static str {
        match state {
            JourneyState::AsIs => self.as_is,
            JourneyState::ToBe => self.to_be,
        }
    }

    pub(crate) fn opportunity_status(&self, status: OpportunityStatus) -> &'static str {
        let ru = self.lang == "ru";
        match status {
            OpportunityStatus::Idea => {
                if ru {
                    "идея"
                } else {
                    "idea"
                }
            }
            OpportunityStatus::Planned => {
                if ru {
                    "в плане"
                } else {
                    "planned"
                }
            }
            OpportunityStatus::InProgress => {
                if ru {
                    "в работе"
                } else {
                    "in progress"
                }
            }
            OpportunityStatus::Done => {
                if ru {
                    "сделано"
                } else {
                    "done"
                }
            }
            OpportunityStatus::Dropped => {
                if ru {
                    "отменено"
                } else {
                    "dropped"
                }
            }
        }
    }

    pub(crate) fn target_status(&self, status: TargetStatus) -> &'static str {
        let ru = self.lang == "ru";
        match status {
            TargetStatus::Met => {
                if ru {
                    "достигнута"
                } else {
                    "met"
                }
            }
            TargetStatus::AtRisk => {
                if ru {
                    "под угрозой"
                } else {
                    "at risk"
                }
            }
            TargetStatus::Missed => {
                if ru {
                    "не достигнута"
                } else {
                    "missed"
                }
            }
            TargetStatus::Unknown => {
                if ru {
                    "неизвестно"
                } else {
                    "unknown"
                }
            }
        }
    }

    pub(crate) fn gap_kind(&self, kind: GapKind) -> &'static str {
        let ru = self.lang == "ru";
        match kind {
            GapKind::PainPoint => {
                if ru {
                    "боль"
                } else {
                    "pain point"
                }
            }
            GapKind::MetricTarget => {
                if ru {
                    "цель метрики"
                } else {
                    "metric target"
                }
            }
            GapKind::ExpectationUnmet => {
                if ru {
                    "ожидание не оправдано"
                } else {
                    "unmet expectation"
                }
            }
            GapKind::NegativeEmotion => {
                if ru {
                    "негативная эмоция"
                } else {
                    "negative emotion"
                }
            }
            GapKind::PersonaDivergence => {
                if ru {
                    "расхождение персон"
                } else {
                    "persona divergence"
                }
            }
            GapKind::ToBeWorse => {
                if ru {
                    "хуже в «как будет»"
                } else {
                    "worse in to-be"
                }
            }
            GapKind::MeasurementConflict => {
                if ru {
                    "расходится с данными"
                } else {
                    "disagrees with data"
                }
            }
        }
    }

    /// A metric without a name, by its kind (metrics that `apply` measured from events).
    pub(crate) fn metric_kind(&self, kind: MetricKind) -> &'static str {
        let (en, ru) = match kind {
            MetricKind::Conversion => ("Conversion", "Конверсия"),
            MetricKind::DropOff => ("Drop-off", "Уход"),
            MetricKind::BounceRate => ("Bounce rate", "Отказы"),
            MetricKind::TimeInStage => ("Time in stage", "Время на этапе"),
            MetricKind::Nps => ("NPS", "NPS"),
            MetricKind::Csat => ("CSAT", "CSAT"),
            MetricKind::Ces => ("CES", "CES"),
            MetricKind::RepeatPurchaseRate => ("Repeat purchases", "Повторные покупки"),
            MetricKind::AverageOrderValue => ("Average order", "Средний чек"),
            MetricKind::Cac => ("Acquisition cost", "Стоимость привлечения"),
            MetricKind::Ltv => ("Lifetime value", "Ценность клиента"),
            MetricKind::Retention => ("Retention", "Удержание"),
            MetricKind::Churn => ("Churn", "Отток"),
            MetricKind::SupportContacts => ("Support contacts", "Обращения в поддержку"),
            MetricKind::BacktrackRate => ("Going back", "Возвраты назад"),
            MetricKind::LoopRate => ("Repeated steps", "Повторы шага"),
            MetricKind::ErrorRate => ("Errors", "Ошибки"),
            MetricKind::Traffic => ("Traffic", "Трафик"),
            MetricKind::Custom => ("Metric", "Метрика"),
        };
        if self.lang == "ru" { ru } else { en }
    }

    /// A metric's name as shown: its own, else its kind in this language; a metric measured
    /// from events says so, so it never reads as the team's own figure of the same kind.
    pub(crate) fn metric_name(&self, metric: &Metric) -> String {
        let name = metric
            .name
            .as_deref()
            .map(super::text::clean)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| self.metric_kind(metric.kind).to_string());
        if metric.is_measured() {
            let measured = if self.lang == "ru" {
                "по событиям"
            } else {
                "from events"
            };
            format!("{name} ({measured})")
        } else {
            name
        }
    }

    pub(crate) fn component(&self, kind: ComponentKind) -> &'static str {
        let ru = self.lang == "ru";
        match kind {
            ComponentKind::Emotion => {
                if ru {
                    "эмоции"
                } else {
                    "emotion"
                }
            }
            ComponentKind::Pain => {
                if ru {
                    "боли"
                } else {
                    "pain"
                }
            }
            ComponentKind::DropOff => {
                if ru {
                    "уход"
                } else {
                    "drop-off"
                }
            }
            ComponentKind::Effort => {
                if ru {
                    "усилие"
                } else {
                    "effort"
                }
            }
            ComponentKind::Time => {
                if ru {
                    "время"
                } else {
                    "time"
                }
            }
            ComponentKind::Support => {
                if ru {
                    "поддержка"
                } else {
                    "support"
                }
            }
            ComponentKind::Backtracking => {
                if ru {
                    "возвраты"
                } else {
                    "backtracking"
                }
            }
            ComponentKind::Errors => {
                if ru {
                    "ошибки"
                } else {
                    "errors"
                }
            }
        }
    }

    pub(crate) fn plan_flag(&self, flag: PlanFlag) -> &'static str {
        let ru = self.lang == "ru";
        match flag {
            PlanFlag::NoOwner => {
                if ru {
                    "нет ответственного"
                } else {
                    "no owner"
                }
            }
            PlanFlag::NoDueDate => {
                if ru {
                    "нет срока"
                } else {
                    "no due date"
                }
            }
            PlanFlag::AddressesNothing => {
                if ru {
                    "не закрывает ни одной боли"
                } else {
                    "addresses no pain point"
                }
            }
        }
    }

    pub(crate) fn score_method(&self, method: ScoreMethod) -> &'static str {
        match method {
            ScoreMethod::Rice => "RICE",
            ScoreMethod::ValueEffort => {
                if self.lang == "ru" {
                    "ценность/усилие"
                } else {
                    "value/effort"
                }
            }
            ScoreMethod::Unscored => {
                if self.lang == "ru" {
                    "без оценки"
                } else {
                    "unscored"
                }
            }
        }
    }
}
