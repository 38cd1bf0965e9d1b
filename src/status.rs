//! Progress status of an indicator, by the method Open SDG adopted from
//! Statistics Canada: the compound annual growth rate (CAGR) actually achieved
//! since the baseline, over the rate needed to reach the target on time.
//!
//! ```text
//! R = CAGR_actual / CAGR_required
//! CAGR_actual   = (w_t / w_0)^(1/(t − t0)) − 1
//! CAGR_required = (w_T / w_0)^(1/(T − t0)) − 1
//! ```
//! `w` is the value itself, or — for values bounded by 100 % that should rise —
//! the gap to the bound (`100 − value`), which should fall. When a working
//! quantity is 0 (a target of 0, a target at the bound, a zero baseline) growth
//! rates are undefined, so the linear rates are compared instead:
//! `R = ((w_t − w_0)/(t − t0)) / ((w_T − w_0)/(T − t0))`.
//!
//! Thresholds: achieved (target met), on_track R ≥ 0.95, acceleration_needed
//! 0.6 ≤ R < 0.95, limited 0 ≤ R < 0.6, deteriorating R < 0. A target the
//! baseline already meets is a *maintain* target: maintained / not_maintained.

use serde::Serialize;

use crate::plan::Op;

pub const ON_TRACK: f64 = 0.95;
pub const ACCELERATION: f64 = 0.6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    Achieved,
    OnTrack,
    AccelerationNeeded,
    Limited,
    Deteriorating,
    Maintained,
    NotMaintained,
    NoData,
}

impl Progress {
    pub const ALL: [Progress; 8] = [
        Progress::Achieved,
        Progress::OnTrack,
        Progress::AccelerationNeeded,
        Progress::Limited,
        Progress::Deteriorating,
        Progress::Maintained,
        Progress::NotMaintained,
        Progress::NoData,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Progress::Achieved => "achieved",
            Progress::OnTrack => "on_track",
            Progress::AccelerationNeeded => "acceleration_needed",
            Progress::Limited => "limited",
            Progress::Deteriorating => "deteriorating",
            Progress::Maintained => "maintained",
            Progress::NotMaintained => "not_maintained",
            Progress::NoData => "no_data",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better; the target lies above the baseline (a floor).
    Increase,
    /// Lower is better; the target lies below the baseline (a ceiling).
    Decrease,
    /// The baseline already meets the target; it must keep meeting it.
    Maintain,
}

impl Direction {
    pub fn key(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
            Direction::Maintain => "maintain",
        }
    }
}

/// What the status needs to know about an indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    pub baseline: Option<(i32, f64)>,
    pub target: (i32, f64),
    pub op: Op,
    /// Upper natural bound (100 for percentages), if any.
    pub bound: Option<f64>,
}

/// Direction from baseline, target and comparator: `>` targets are floors, `<`
/// ceilings; a plain target is a floor or ceiling by where it lies from the
/// baseline; a target the baseline already meets is "maintain".
pub fn direction(goal: &Goal, first_value: Option<f64>) -> Direction {
    let (_, target) = goal.target;
    let start = goal.baseline.map(|b| b.1).or(first_value);
    let Some(start) = start else {
        return match goal.op {
            Op::AtMost => Direction::Decrease,
            _ => Direction::Increase,
        };
    };
    let meets = meets(goal.op, start, target, None);
    match goal.op {
        _ if meets && goal.baseline.is_some() => Direction::Maintain,
        Op::AtLeast => Direction::Increase,
        Op::AtMost => Direction::Decrease,
        Op::Exact if target >= start => Direction::Increase,
        Op::Exact => Direction::Decrease,
    }
}

/// Whether `value` satisfies the target; `direction` decides which side of an exact target counts.
fn meets(op: Op, value: f64, target: f64, direction: Option<Direction>) -> bool {
    const EPS: f64 = 1e-9;
    match (op, direction) {
        (Op::AtLeast, _) | (Op::Exact, Some(Direction::Increase)) => value >= target - EPS,
        (Op::AtMost, _) | (Op::Exact, Some(Direction::Decrease)) => value <= target + EPS,
        (Op::Exact, _) => (value - target).abs() <= EPS,
    }
}

/// The status and the ratio behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assessment {
    pub status: Progress,
    /// R, when a rate comparison was made.
    pub ratio: Option<f64>,
    pub direction: Direction,
    /// Whether the linear fallback was used instead of growth rates.
    pub linear: bool,
}

/// Assesses progress from the values reported up to the assessment year
/// (`values`: (year, value) in any order; years after the assessment are the caller's to drop).
pub fn assess(goal: &Goal, direction: Direction, values: &[(i32, f64)]) -> Assessment {
    let no_data = Assessment {
        status: Progress::NoData,
        ratio: None,
        direction,
        linear: false,
    };
    let mut sorted: Vec<(i32, f64)> = values.iter().copied().filter(|v| v.1.is_finite()).collect();
    sorted.sort_by_key(|v| v.0);
    // Without a published baseline the first reported value serves as one.
    let (base, later) = match goal.baseline {
        Some(b) => (
            b,
            sorted
                .iter()
                .copied()
                .filter(|v| v.0 > b.0)
                .collect::<Vec<_>>(),
        ),
        None if sorted.len() >= 2 => (sorted[0], sorted[1..].to_vec()),
        None => {
            // A single value can still show the target met.
            return match sorted.last() {
                Some(&(_, v))
                    if direction != Direction::Maintain
                        && meets(goal.op, v, goal.target.1, Some(direction)) =>
                {
                    Assessment {
                        status: Progress::Achieved,
                        ..no_data
                    }
                }
                _ => no_data,
            };
        }
    };
    let Some(&(t, value)) = later.last() else {
        return no_data;
    };
    let (t0, v0) = base;
    let (target_year, target) = goal.target;
    if direction == Direction::Maintain {
        let status = if meets(goal.op, value, target, None) || meets_maintain(goal, value) {
            Progress::Maintained
        } else {
            Progress::NotMaintained
        };
        return Assessment {
            status,
            ratio: None,
            direction,
            linear: false,
        };
    }
    if meets(goal.op, value, target, Some(direction)) {
        return Assessment {
            status: Progress::Achieved,
            ratio: None,
            direction,
            linear: false,
        };
    }
    // Work on the gap to the upper bound when rising towards it.
    let work = |v: f64| match (direction, goal.bound) {
        (Direction::Increase, Some(bound)) => bound - v,
        _ => v,
    };
    let (w0, wt, w_target) = (work(v0), work(value), work(target));
    let elapsed = f64::from(t - t0);
    let horizon = f64::from(target_year - t0);
    if elapsed <= 0.0 || horizon <= 0.0 {
        return no_data;
    }
    let growth = w0 > 0.0 && wt > 0.0 && w_target > 0.0;
    let ratio = if growth {
        let actual = (wt / w0).powf(1.0 / elapsed) - 1.0;
        let required = (w_target / w0).powf(1.0 / horizon) - 1.0;
        actual / required
    } else {
        ((wt - w0) / elapsed) / ((w_target - w0) / horizon)
    };
    if !ratio.is_finite() {
        return no_data;
    }
    let status = if ratio >= ON_TRACK {
        Progress::OnTrack
    } else if ratio >= ACCELERATION {
        Progress::AccelerationNeeded
    } else if ratio >= 0.0 {
        Progress::Limited
    } else {
        Progress::Deteriorating
    };
    Assessment {
        status,
        ratio: Some(ratio),
        direction,
        linear: !growth,
    }
}

/// Exact maintain targets at a bound (`100 → 100`, `0 → 0`) are kept when the value stays at it.
fn meets_maintain(goal: &Goal, value: f64) -> bool {
    let target = goal.target.1;
    match goal.op {
        Op::Exact if goal.bound.is_some_and(|b| (target - b).abs() < 1e-9) => {
            value >= target - 1e-9
        }
        Op::Exact if target.abs() < 1e-9 => value <= 1e-9,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(baseline: f64, op: Op, target: f64) -> Goal {
        Goal {
            baseline: Some((2020, baseline)),
            target: (2025, target),
            op,
            bound: Some(100.0),
        }
    }

    fn status(goal: &Goal, values: &[(i32, f64)]) -> (Progress, Option<f64>) {
        let d = direction(goal, None);
        let a = assess(goal, d, values);
        (a.status, a.ratio)
    }

    #[test]
    fn directions_from_the_table() {
        assert_eq!(
            direction(&goal(85.0, Op::AtLeast, 90.0), None),
            Direction::Increase
        ); // 毛入园率 >85 → >90
        assert_eq!(
            direction(&goal(58.2, Op::Exact, 53.2), None),
            Direction::Decrease
        ); // 近视率
        assert_eq!(
            direction(&goal(64.0, Op::AtLeast, 60.0), None),
            Direction::Maintain
        ); // 公办园 >64 → >60
        assert_eq!(
            direction(&goal(0.0, Op::Exact, 0.0), None),
            Direction::Maintain
        ); // 大班额 0 → 0
        assert_eq!(
            direction(&goal(99.0, Op::AtLeast, 99.0), None),
            Direction::Maintain
        ); // 巩固率
        assert_eq!(
            direction(&goal(17.8, Op::Exact, 50.0), None),
            Direction::Increase
        ); // 体质优良率
    }

    #[test]
    fn floor_on_the_gap_to_100() {
        // 体质优良率 17.8 → 50 by 2025. Gap 82.2 → 50: required CAGR (50/82.2)^(1/5) − 1 = −9.46 %.
        let g = goal(17.8, Op::Exact, 50.0);
        // 2023 value 37: gap 63, actual (63/82.2)^(1/3) − 1 = −8.49 %; R = 0.897.
        let (s, r) = status(&g, &[(2023, 37.0)]);
        assert_eq!(s, Progress::AccelerationNeeded);
        assert!((r.expect("ratio") - 0.8975).abs() < 0.002, "{r:?}");
        // Slow: 2025 value 27: gap 73, actual (73/82.2)^(1/5) − 1 = −2.35 %; R ≈ 0.25.
        assert_eq!(status(&g, &[(2025, 27.0)]).0, Progress::Limited);
        assert_eq!(status(&g, &[(2022, 45.0)]).0, Progress::OnTrack);
        assert_eq!(status(&g, &[(2024, 50.0)]).0, Progress::Achieved);
        assert_eq!(status(&g, &[(2021, 17.0)]).0, Progress::Deteriorating);
    }

    #[test]
    fn ceiling_myopia() {
        // 58.2 → 53.2: required (53.2/58.2)^(1/5) − 1 = −1.78 %/yr.
        let g = goal(58.2, Op::Exact, 53.2);
        assert_eq!(status(&g, &[(2021, 59.6)]).0, Progress::Deteriorating);
        // 2023 at 55.2: actual (55.2/58.2)^(1/3) − 1 = −1.75 %; R = 0.98 → on track.
        let (s, r) = status(&g, &[(2023, 55.2)]);
        assert_eq!(s, Progress::OnTrack, "{r:?}");
        // 2023 at 55.3: −1.69 %; R = 0.949, just short of 0.95.
        assert_eq!(status(&g, &[(2023, 55.3)]).0, Progress::AccelerationNeeded);
        assert_eq!(status(&g, &[(2023, 57.0)]).0, Progress::Limited);
        assert_eq!(status(&g, &[(2025, 53.0)]).0, Progress::Achieved);
    }

    #[test]
    fn target_at_the_bound_uses_linear_rates() {
        // 无线网覆盖率 58.8 → 100: the gap's target is 0, so growth rates are undefined.
        let g = goal(58.8, Op::Exact, 100.0);
        let a = assess(&g, Direction::Increase, &[(2022, 75.28)]);
        // Linear: (41.2 − 24.72)/2 = 8.24 per year; needed 41.2/5 = 8.24 → R = 1.
        assert!(a.linear);
        assert_eq!(a.status, Progress::OnTrack);
        assert!((a.ratio.expect("ratio") - 1.0).abs() < 1e-9);
        assert_eq!(status(&g, &[(2024, 100.0)]).0, Progress::Achieved);
    }

    #[test]
    fn maintain_targets() {
        let public_share = goal(64.0, Op::AtLeast, 60.0);
        assert_eq!(
            status(&public_share, &[(2022, 61.0)]).0,
            Progress::Maintained
        );
        assert_eq!(
            status(&public_share, &[(2022, 61.0), (2023, 59.2)]).0,
            Progress::NotMaintained
        );
        let oversized = goal(0.0, Op::Exact, 0.0);
        assert_eq!(status(&oversized, &[(2021, 0.0)]).0, Progress::Maintained);
        assert_eq!(
            status(&oversized, &[(2022, 0.6)]).0,
            Progress::NotMaintained
        );
        let district = goal(100.0, Op::Exact, 100.0);
        assert_eq!(status(&district, &[(2023, 100.0)]).0, Progress::Maintained);
        assert_eq!(
            status(&district, &[(2023, 98.0)]).0,
            Progress::NotMaintained
        );
    }

    #[test]
    fn missing_years_use_the_latest_value() {
        let g = goal(85.0, Op::AtLeast, 90.0);
        assert_eq!(status(&g, &[]).0, Progress::NoData);
        // Only 2022 reported (2021 missing): assessed from 2022. Gap 15 → 12 in two
        // years is −10.6 %/yr against −7.8 % needed (15 → 10 in five).
        assert_eq!(status(&g, &[(2022, 88.0)]).0, Progress::OnTrack);
        assert_eq!(
            status(&g, &[(2021, 86.0), (2023, 85.5)]).0,
            Progress::Limited
        );
        assert_eq!(status(&g, &[(2020, 86.0)]).0, Progress::NoData);
    }

    #[test]
    fn without_baseline_the_first_value_is_the_base() {
        let g = Goal {
            baseline: None,
            target: (2025, 1000.0),
            op: Op::AtLeast,
            bound: None,
        };
        let d = direction(&g, Some(400.0));
        assert_eq!(d, Direction::Increase);
        assert_eq!(assess(&g, d, &[(2022, 400.0)]).status, Progress::NoData);
        assert_eq!(
            assess(&g, d, &[(2022, 400.0), (2023, 700.0)]).status,
            Progress::OnTrack
        );
        assert_eq!(assess(&g, d, &[(2022, 1000.0)]).status, Progress::Achieved);
    }
}
