//! Progress status of an indicator: the method Open SDG adopted from
//! Statistics Canada, as published in Open SDG's
//! `docs/progress-methodology.md` (and implemented in sdg-build's progress
//! measure), applied exactly. The methodology page states it for readers.
//!
//! ```text
//! CAGR_i = (y_i / y_0)^(1 / (t_i − t_0)) − 1            observed growth of the value itself
//! d      = +1 when the value should rise, −1 when it should fall
//!
//! With a quantitative target y_T for year t_T:
//!   achieved             d = +1 and y_i ≥ y_T, or d = −1 and y_i ≤ y_T
//!   CAGR_T = (y_T / y_0)^(1 / (t_T − t_0)) − 1           growth needed to reach it on time
//!   R      = d · CAGR_i / |CAGR_T|
//!   on_track R ≥ 0.95 · acceleration_needed 0.6 ≤ R < 0.95 · limited 0 ≤ R < 0.6 · deteriorating R < 0
//!
//! Without one (a target in words: 持续下降, 稳步提高…):
//!   CAGR = d · CAGR_i
//!   on_track CAGR ≥ 1.5 %·C · acceleration_needed 0.5 %·C ≤ CAGR < 1.5 %·C
//!   limited 0 ≤ CAGR < 0.5 %·C · deteriorating CAGR < 0
//!   C scales the thresholds above 0 near a natural limit y_lim in the desired direction:
//!     maximum: C = 1 − (y_0 / y_lim)^4.44                  for 0 ≤ y_0 < y_lim
//!     minimum: C = 1 − ((2·y_lim − y_0) / y_lim)^4.44      for y_lim < y_0 < 2·y_lim
//!     otherwise C = 1; when C = 0 (y_0 at the limit) and CAGR ≥ 0: on_track
//! ```
//!
//! The published method's own rules: a base or target of 0 is replaced by
//! 0.001; at least two data points a year apart are needed; values must be all
//! positive or all negative (all negative flips d); the base is the plan's
//! baseline, or the first year with data when it has none.
//!
//! Where the method is silent, plansite rules (and says so on the page):
//! - the base already equals the target (CAGR_T = 0) and the latest value no
//!   longer meets it: R is undefined; the status is `deteriorating`, the
//!   limit of R as the value moves away from a target it met;
//! - a target it cannot read, or words that do not say which way to move, and
//!   no direction given in `content/indicators.yaml`: `not_assessable`;
//! - too few data points: `no_data`; values of both signs: `not_assessable`.

use serde::Serialize;

use crate::plan::Op;
use crate::plan::qualitative::Trend;

/// R at or above which an indicator is on track.
pub const ON_TRACK: f64 = 0.95;
/// R at or above which progress is made but must accelerate.
pub const ACCELERATION: f64 = 0.6;
/// The no-target path's growth thresholds (before the limit scaling C).
pub const NO_TARGET_ON_TRACK: f64 = 0.015;
pub const NO_TARGET_ACCELERATION: f64 = 0.005;
/// The exponent of the limit scaling factor C.
pub const SCALE_EXPONENT: f64 = 4.44;
/// What a base or target of 0 is replaced by.
pub const ZERO_REPLACEMENT: f64 = 0.001;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    Achieved,
    OnTrack,
    AccelerationNeeded,
    Limited,
    Deteriorating,
    /// Too few data points to measure growth (the method's "unable to assess").
    NoData,
    /// A target plansite cannot read, a direction it cannot tell, or values of both signs.
    NotAssessable,
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl Progress {
    pub const ALL: [Progress; 7] = [
        Progress::Achieved,
        Progress::OnTrack,
        Progress::AccelerationNeeded,
        Progress::Limited,
        Progress::Deteriorating,
        Progress::NoData,
        Progress::NotAssessable,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Progress::Achieved => "achieved",
            Progress::OnTrack => "on_track",
            Progress::AccelerationNeeded => "acceleration_needed",
            Progress::Limited => "limited",
            Progress::Deteriorating => "deteriorating",
            Progress::NoData => "no_data",
            Progress::NotAssessable => "not_assessable",
        }
    }
    /// The symbol shown beside the status words (both languages).
    pub fn icon(self) -> &'static str {
        match self {
            Progress::Achieved => "✔",
            Progress::OnTrack => "▲",
            Progress::AccelerationNeeded => "►",
            Progress::Limited => "▼",
            Progress::Deteriorating => "✖",
            Progress::NoData => "○",
            Progress::NotAssessable => "?",
        }
    }
}

/// The desired direction of progress: d = +1 or −1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Decrease,
}

impl Direction {
    pub fn d(self) -> f64 {
        match self {
            Direction::Increase => 1.0,
            Direction::Decrease => -1.0,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
        }
    }
    fn flipped(self) -> Direction {
        match self {
            Direction::Increase => Direction::Decrease,
            Direction::Decrease => Direction::Increase,
        }
    }
}

/// Natural limits of an indicator's values (0 and 100 for a percentage).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Limits {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// What the status of an indicator is measured against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    /// The plan's baseline (year, value), if it states a number.
    pub base: Option<(i32, f64)>,
    /// A quantitative target (year, value); `None`: the no-target path.
    pub target: Option<(i32, f64)>,
    /// d; `None` when it cannot be told (then not assessable).
    pub direction: Option<Direction>,
    pub limits: Limits,
}

/// Which path of the method was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Path {
    /// A quantitative target: R against 0.95 / 0.6 / 0.
    Target,
    /// No quantitative target: d·CAGR against 1.5 % / 0.5 % / 0, scaled by C.
    NoTarget,
}

/// Why an indicator has no measured status, or which of plansite's own rules applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Note {
    /// No value reported yet.
    NoValues,
    /// One data point: growth needs a base and a later value.
    OneValue,
    /// The direction of progress cannot be told from the target.
    NoDirection,
    /// Values of both signs: growth rates are undefined.
    MixedSigns,
    /// The target year is not after the base year.
    TargetYear,
    /// The base already equals the target, which the latest value no longer meets.
    TargetEqualsBase,
}

/// The status and every number behind it, for pages to show.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assessment {
    pub status: Progress,
    pub path: Option<Path>,
    /// d as used (flipped when every value is negative).
    pub direction: Option<Direction>,
    pub base: Option<(i32, f64)>,
    pub latest: Option<(i32, f64)>,
    /// CAGR_i.
    pub observed: Option<f64>,
    /// CAGR_T.
    pub required: Option<f64>,
    /// R (target path) or d·CAGR_i (no-target path).
    pub measure: Option<f64>,
    /// The thresholds the measure was compared with: on track, acceleration needed.
    pub thresholds: Option<[f64; 2]>,
    /// C, when a natural limit scaled the no-target thresholds.
    pub scale: Option<f64>,
    /// Whether a base or target of 0 was replaced by 0.001.
    pub zero_replaced: bool,
    pub note: Option<Note>,
}

impl Assessment {
    fn only(status: Progress, note: Note) -> Assessment {
        Assessment {
            status,
            path: None,
            direction: None,
            base: None,
            latest: None,
            observed: None,
            required: None,
            measure: None,
            thresholds: None,
            scale: None,
            zero_replaced: false,
            note: Some(note),
        }
    }
}

const EPS: f64 = 1e-9;

/// d from what the plan says. `>`/`以上` targets are floors (+1), `<`/`以下`
/// ceilings (−1); words say which way (`trend`); a plain number lies above or
/// below where the indicator starts (the baseline, else its first value). A
/// plain target equal to its start is held at it: at a lower limit (0 %, or
/// 0 of anything) the value must not rise, at an upper limit (100 %) not fall;
/// elsewhere the plan does not say (None).
pub fn direction(
    op: Op,
    target: Option<f64>,
    trend: Option<Trend>,
    start: Option<f64>,
    limits: Limits,
) -> Option<Direction> {
    match op {
        Op::AtLeast => Some(Direction::Increase),
        Op::AtMost => Some(Direction::Decrease),
        Op::Qualitative => match trend {
            Some(Trend::Up) => Some(Direction::Increase),
            Some(Trend::Down) => Some(Direction::Decrease),
            Some(Trend::Steady) | None => None,
        },
        Op::Exact => {
            let (target, start) = (target?, start?);
            // Held at a lower limit (0 %, or 0 of anything): it must not rise.
            let at_floor =
                limits.min.is_some_and(|m| (m - target).abs() < EPS) || target.abs() < EPS;
            let at_ceiling = limits.max.is_some_and(|m| (m - target).abs() < EPS);
            let equal = (target - start).abs() <= EPS;
            if target > start + EPS || (equal && at_ceiling && !at_floor) {
                Some(Direction::Increase)
            } else if target < start - EPS || (equal && at_floor) {
                Some(Direction::Decrease)
            } else {
                None
            }
        }
    }
}

/// Whether `value` meets the target `target` for direction `d`.
pub fn meets(direction: Direction, value: f64, target: f64) -> bool {
    match direction {
        Direction::Increase => value >= target - EPS,
        Direction::Decrease => value <= target + EPS,
    }
}

/// (y_1 / y_0)^(1 / years) − 1.
fn cagr(from: f64, to: f64, years: f64) -> f64 {
    (to / from).powf(1.0 / years) - 1.0
}

/// C: how far the no-target thresholds above 0 shrink near a natural limit in
/// the desired direction (1: not at all).
pub fn scale(limits: Limits, direction: Direction, base: f64) -> f64 {
    match direction {
        Direction::Increase => match limits.max {
            Some(lim) if lim > 0.0 && (0.0..lim).contains(&base) => {
                1.0 - (base / lim).powf(SCALE_EXPONENT)
            }
            Some(lim) if lim > 0.0 && base >= lim => 0.0,
            _ => 1.0,
        },
        Direction::Decrease => match limits.min {
            Some(lim) if lim > 0.0 && base > lim && base < 2.0 * lim => {
                1.0 - ((2.0 * lim - base) / lim).powf(SCALE_EXPONENT)
            }
            Some(lim) if (base - lim).abs() < EPS => 0.0,
            _ => 1.0,
        },
    }
}

fn category(measure: f64, on_track: f64, acceleration: f64) -> Progress {
    if measure >= on_track {
        Progress::OnTrack
    } else if measure >= acceleration {
        Progress::AccelerationNeeded
    } else if measure >= 0.0 {
        Progress::Limited
    } else {
        Progress::Deteriorating
    }
}

/// Assesses progress from the values reported up to the assessment year
/// (`values`: (year, value) in any order; the caller drops later years).
pub fn assess(goal: &Goal, values: &[(i32, f64)]) -> Assessment {
    let mut sorted: Vec<(i32, f64)> = values.iter().copied().filter(|v| v.1.is_finite()).collect();
    sorted.sort_by_key(|v| v.0);
    sorted.dedup_by_key(|v| v.0);
    // The base: the plan's baseline, else the first year with data.
    let (base, later): ((i32, f64), Vec<(i32, f64)>) = match (goal.base, sorted.first()) {
        (Some(b), _) => (b, sorted.iter().copied().filter(|v| v.0 > b.0).collect()),
        (None, Some(&first)) => (first, sorted[1..].to_vec()),
        (None, None) => return Assessment::only(Progress::NoData, Note::NoValues),
    };
    let Some(&latest) = later.last() else {
        let note = if sorted.is_empty() {
            Note::NoValues
        } else {
            Note::OneValue
        };
        return Assessment {
            base: Some(base),
            ..Assessment::only(Progress::NoData, note)
        };
    };
    let known = Assessment {
        base: Some(base),
        latest: Some(latest),
        ..Assessment::only(Progress::NotAssessable, Note::NoDirection)
    };
    let Some(mut direction) = goal.direction else {
        return known;
    };
    let ((t0, y0), (ti, yi)) = (base, latest);
    if (y0 < 0.0 && yi > 0.0) || (y0 > 0.0 && yi < 0.0) {
        return Assessment {
            note: Some(Note::MixedSigns),
            ..known
        };
    }
    // All negative: the method flips the desired direction.
    if y0 < 0.0 && yi <= 0.0 {
        direction = direction.flipped();
    }
    let d = direction.d();
    let y0_used = if y0 == 0.0 { ZERO_REPLACEMENT } else { y0 };
    let observed = cagr(y0_used, yi, f64::from(ti - t0));
    let measured = Assessment {
        direction: Some(direction),
        observed: Some(observed),
        zero_replaced: y0 == 0.0,
        note: None,
        ..known
    };
    match goal.target {
        Some((t_target, y_target)) => {
            if meets(direction, yi, y_target) {
                return Assessment {
                    status: Progress::Achieved,
                    path: Some(Path::Target),
                    ..measured
                };
            }
            if t_target <= t0 {
                return Assessment {
                    note: Some(Note::TargetYear),
                    ..known
                };
            }
            let yt_used = if y_target == 0.0 {
                ZERO_REPLACEMENT
            } else {
                y_target
            };
            let required = cagr(y0_used, yt_used, f64::from(t_target - t0));
            let target_path = Assessment {
                path: Some(Path::Target),
                required: Some(required),
                thresholds: Some([ON_TRACK, ACCELERATION]),
                zero_replaced: measured.zero_replaced || y_target == 0.0,
                ..measured
            };
            if required.abs() < 1e-12 {
                return Assessment {
                    status: Progress::Deteriorating,
                    note: Some(Note::TargetEqualsBase),
                    ..target_path
                };
            }
            let ratio = d * observed / required.abs();
            Assessment {
                status: category(ratio, ON_TRACK, ACCELERATION),
                measure: Some(ratio),
                ..target_path
            }
        }
        None => {
            let growth = d * observed;
            let c = scale(goal.limits, direction, y0);
            let thresholds = [NO_TARGET_ON_TRACK * c, NO_TARGET_ACCELERATION * c];
            let status = if c == 0.0 && growth >= 0.0 {
                Progress::OnTrack
            } else {
                category(growth, thresholds[0], thresholds[1])
            };
            Assessment {
                status,
                path: Some(Path::NoTarget),
                measure: Some(growth),
                thresholds: Some(thresholds),
                scale: (c < 1.0).then_some(c),
                ..measured
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERCENT: Limits = Limits {
        min: Some(0.0),
        max: Some(100.0),
    };

    fn goal(base: f64, op: Op, target: f64) -> Goal {
        Goal {
            base: Some((2020, base)),
            target: Some((2025, target)),
            direction: direction(op, Some(target), None, Some(base), PERCENT),
            limits: PERCENT,
        }
    }

    fn status(goal: &Goal, values: &[(i32, f64)]) -> (Progress, Option<f64>) {
        let a = assess(goal, values);
        (a.status, a.measure)
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 5e-4)
    }

    #[test]
    fn directions_from_the_table() {
        let d = |op, target, base| direction(op, Some(target), None, Some(base), PERCENT);
        assert_eq!(d(Op::AtLeast, 90.0, 85.0), Some(Direction::Increase)); // 毛入园率 >85 → >90
        assert_eq!(d(Op::Exact, 53.2, 58.2), Some(Direction::Decrease)); // 近视率
        assert_eq!(d(Op::AtLeast, 60.0, 64.0), Some(Direction::Increase)); // 公办园 >64 → >60: a floor
        assert_eq!(d(Op::Exact, 0.0, 0.0), Some(Direction::Decrease)); // 大班额 0 → 0
        assert_eq!(d(Op::Exact, 100.0, 100.0), Some(Direction::Increase)); // 学区化 100 → 100
        assert_eq!(d(Op::Exact, 50.0, 17.8), Some(Direction::Increase)); // 体质优良率
        assert_eq!(
            d(Op::Exact, 40.0, 40.0),
            None,
            "held at 40: the plan does not say"
        );
        let words = |trend| direction(Op::Qualitative, None, trend, Some(50.0), PERCENT);
        assert_eq!(words(Some(Trend::Down)), Some(Direction::Decrease)); // 持续下降
        assert_eq!(words(Some(Trend::Up)), Some(Direction::Increase)); // 稳步提高
        assert_eq!(words(None), None); // 明显改善
        assert_eq!(words(Some(Trend::Steady)), None); // 保持稳定
    }

    /// The issue's case: 双师型 in secondary vocational schools, 60 → 62 in one
    /// year, target 70 by 2025. CAGR_i = 62/60 − 1 = 3.333 %; CAGR_T =
    /// (70/60)^(1/5) − 1 = 3.131 %; R = 1.0646: on track (the gap-to-100
    /// transform called it "acceleration needed").
    #[test]
    fn the_value_itself_not_the_gap_to_100() {
        let g = goal(60.0, Op::Exact, 70.0);
        let a = assess(&g, &[(2021, 62.0)]);
        assert_eq!(a.status, Progress::OnTrack);
        assert!(close(a.observed, 0.033_333), "{a:?}");
        assert!(close(a.required, 0.031_310), "{a:?}");
        assert!(close(a.measure, 1.064_6), "{a:?}");
    }

    #[test]
    fn the_four_categories_and_achieved() {
        // 体质优良率 17.8 → 50 by 2025: CAGR_T = (50/17.8)^(1/5) − 1 = 22.95 %.
        let g = goal(17.8, Op::Exact, 50.0);
        // 2023 at 37: CAGR_i = (37/17.8)^(1/3) − 1 = 27.63 %; R = 1.204.
        let (s, r) = status(&g, &[(2023, 37.0)]);
        assert_eq!(s, Progress::OnTrack);
        assert!(close(r, 1.2040), "{r:?}");
        // 2023 at 30: (30/17.8)^(1/3) − 1 = 19.01 %; R = 0.828.
        let (s, r) = status(&g, &[(2023, 30.0)]);
        assert_eq!(s, Progress::AccelerationNeeded);
        assert!(close(r, 0.8283), "{r:?}");
        // 2025 at 20: (20/17.8)^(1/5) − 1 = 2.36 %; R = 0.103.
        assert_eq!(status(&g, &[(2025, 20.0)]).0, Progress::Limited);
        assert_eq!(status(&g, &[(2024, 50.0)]).0, Progress::Achieved);
        assert_eq!(status(&g, &[(2021, 17.0)]).0, Progress::Deteriorating);
    }

    #[test]
    fn falling_targets_use_d() {
        // 近视率 58.2 → 53.2: CAGR_T = (53.2/58.2)^(1/5) − 1 = −1.781 %.
        let g = goal(58.2, Op::Exact, 53.2);
        // 2023 at 55.2: CAGR_i = (55.2/58.2)^(1/3) − 1 = −1.748 %; R = 0.9816.
        let (s, r) = status(&g, &[(2023, 55.2)]);
        assert_eq!(s, Progress::OnTrack);
        assert!(close(r, 0.9816), "{r:?}");
        // 2023 at 55.3: −1.687 %; R = 0.9474, just short of 0.95.
        assert_eq!(status(&g, &[(2023, 55.3)]).0, Progress::AccelerationNeeded);
        assert_eq!(status(&g, &[(2023, 57.0)]).0, Progress::Limited);
        assert_eq!(status(&g, &[(2021, 59.6)]).0, Progress::Deteriorating);
        assert_eq!(status(&g, &[(2025, 53.0)]).0, Progress::Achieved);
    }

    #[test]
    fn a_baseline_that_meets_its_target() {
        // 公办园 >64 → >60: met while ≥ 60; below it R = d·CAGR_i/|CAGR_T|.
        let g = goal(64.0, Op::AtLeast, 60.0);
        assert_eq!(status(&g, &[(2022, 61.0)]).0, Progress::Achieved);
        // 2023 at 59.2: CAGR_i = (59.2/64)^(1/3) − 1 = −2.564 %; CAGR_T = (60/64)^(1/5) − 1 = −1.282 %;
        // R = +1 · −2.564 / 1.282 = −2.0.
        let (s, r) = status(&g, &[(2022, 61.0), (2023, 59.2)]);
        assert_eq!(s, Progress::Deteriorating);
        assert!(close(r, -2.0003), "{r:?}");
    }

    #[test]
    fn zero_base_or_target_and_a_base_equal_to_the_target() {
        // 大班额 0 → 0, d = −1: met at 0; at 0.6 the base equals the target (both
        // 0.001), CAGR_T = 0: plansite's rule, deteriorating.
        let g = goal(0.0, Op::Exact, 0.0);
        assert_eq!(status(&g, &[(2021, 0.0)]).0, Progress::Achieved);
        let a = assess(&g, &[(2022, 0.6)]);
        assert_eq!(a.status, Progress::Deteriorating);
        assert_eq!(a.note, Some(Note::TargetEqualsBase));
        assert!(a.zero_replaced);
        // A zero target below a positive base: 5 → 0 by 2025, 4 in 2022.
        // CAGR_T = (0.001/5)^(1/5) − 1 = −81.78 %; CAGR_i = (4/5)^(1/2) − 1 = −10.56 %; R = 0.129.
        let g = goal(5.0, Op::Exact, 0.0);
        let (s, r) = status(&g, &[(2022, 4.0)]);
        assert_eq!(s, Progress::Limited);
        assert!(close(r, 0.1291), "{r:?}");
        // A zero base rising to 20: base taken as 0.001.
        let g = goal(0.0, Op::Exact, 20.0);
        let a = assess(&g, &[(2022, 8.0)]);
        assert!(a.zero_replaced);
        assert_eq!(a.status, Progress::OnTrack, "{a:?}");
    }

    #[test]
    fn the_no_target_path_and_the_limit_scaling() {
        // 持续下降 from 58.2 (a percentage, falling: no limit in the way, C = 1).
        let down = Goal {
            base: Some((2020, 58.2)),
            target: None,
            direction: Some(Direction::Decrease),
            limits: PERCENT,
        };
        // 2022 at 56: CAGR = −((56/58.2)^(1/2) − 1) = 1.91 % ≥ 1.5 %.
        let a = assess(&down, &[(2022, 56.0)]);
        assert_eq!(a.status, Progress::OnTrack);
        assert_eq!(a.scale, None);
        // 2022 at 57.5: 0.60 %: acceleration needed; at 58.0: 0.17 %: limited.
        assert_eq!(
            assess(&down, &[(2022, 57.5)]).status,
            Progress::AccelerationNeeded
        );
        assert_eq!(assess(&down, &[(2022, 58.0)]).status, Progress::Limited);
        assert_eq!(
            assess(&down, &[(2022, 59.0)]).status,
            Progress::Deteriorating
        );
        // 稳步提高 from 95 %: C = 1 − 0.95^4.44 = 0.2036; thresholds 0.305 % and 0.102 %.
        let up = Goal {
            base: Some((2020, 95.0)),
            target: None,
            direction: Some(Direction::Increase),
            limits: PERCENT,
        };
        let a = assess(&up, &[(2022, 95.5)]);
        assert!(close(a.scale, 0.2036), "{a:?}");
        // CAGR = (95.5/95)^(1/2) − 1 = 0.262 %: between 0.102 % and 0.305 %.
        assert_eq!(a.status, Progress::AccelerationNeeded);
        // Without the limit it would be limited (0.262 % < 0.5 %).
        let unlimited = Goal {
            limits: Limits::default(),
            ..up
        };
        assert_eq!(
            assess(&unlimited, &[(2022, 95.5)]).status,
            Progress::Limited
        );
        // At the limit (C = 0), holding it is on track.
        let full = Goal {
            base: Some((2020, 100.0)),
            ..up
        };
        assert_eq!(assess(&full, &[(2022, 100.0)]).status, Progress::OnTrack);
        assert_eq!(
            assess(&full, &[(2022, 99.0)]).status,
            Progress::Deteriorating
        );
        // A minimum limit: 1 − ((2·10 − 12)/10)^4.44 = 0.6285 for a base of 12 above 10.
        let min = Limits {
            min: Some(10.0),
            max: None,
        };
        assert!((scale(min, Direction::Decrease, 12.0) - 0.6285).abs() < 1e-3);
        assert_eq!(scale(min, Direction::Decrease, 25.0), 1.0);
        assert_eq!(
            scale(min, Direction::Increase, 12.0),
            1.0,
            "only a limit in the desired direction"
        );
    }

    #[test]
    fn not_enough_data_no_direction_or_mixed_signs() {
        let g = goal(85.0, Op::AtLeast, 90.0);
        assert_eq!(status(&g, &[]).0, Progress::NoData);
        assert_eq!(
            status(&g, &[(2020, 86.0)]).0,
            Progress::NoData,
            "only the base year"
        );
        // The latest value counts: 2021 reported, 2022 missing, 2023 reported.
        // CAGR_i = (85.5/85)^(1/3) − 1 = 0.196 %; CAGR_T = (90/85)^(1/5) − 1 = 1.150 %; R = 0.170.
        assert_eq!(
            status(&g, &[(2021, 86.0), (2023, 85.5)]).0,
            Progress::Limited
        );
        let words = Goal {
            direction: None,
            target: None,
            ..g
        };
        assert_eq!(status(&words, &[(2022, 88.0)]).0, Progress::NotAssessable);
        let signs = goal(-2.0, Op::AtLeast, 1.0);
        assert_eq!(assess(&signs, &[(2022, 0.5)]).note, Some(Note::MixedSigns));
        // All negative: d flips (−4 → −2 is a rise, and the method measures it as a fall of magnitude).
        let negative = Goal {
            base: Some((2020, -4.0)),
            target: None,
            direction: Some(Direction::Increase),
            limits: Limits::default(),
        };
        let a = assess(&negative, &[(2022, -2.0)]);
        assert_eq!(a.direction, Some(Direction::Decrease));
        assert_eq!(a.status, Progress::OnTrack);
    }

    #[test]
    fn without_a_baseline_the_first_value_is_the_base() {
        let g = Goal {
            base: None,
            target: Some((2025, 1000.0)),
            direction: Some(Direction::Increase),
            limits: Limits::default(),
        };
        assert_eq!(assess(&g, &[(2022, 400.0)]).status, Progress::NoData);
        // 400 → 700 in a year: 75 %; needed (1000/400)^(1/3) − 1 = 35.7 %.
        assert_eq!(
            assess(&g, &[(2022, 400.0), (2023, 700.0)]).status,
            Progress::OnTrack
        );
        assert_eq!(
            assess(&g, &[(2022, 400.0), (2023, 1000.0)]).status,
            Progress::Achieved
        );
        // One value meeting the target is still one value: the method needs two.
        assert_eq!(assess(&g, &[(2022, 1000.0)]).status, Progress::NoData);
    }
}
