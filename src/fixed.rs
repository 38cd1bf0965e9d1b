//! Fixed-point decimal text of an `f64`, exactly as `format!("{:.N}", v)`
//! writes it, in a few dozen instructions. The standard library's exact mode
//! often falls back to big-number arithmetic (Dragon4), and charts and figures
//! format tens of thousands of numbers at 10,000 pages.
//!
//! The value `m × 2^e` is scaled by `10^N` in 128-bit integers and rounded
//! half to even, as the standard library rounds; values whose scaled form
//! does not fit a `u64` (|v| × 10^N ≥ 2^63), and non-finite ones, fall back
//! to `format!`.

use std::fmt;

/// `Fixed(v, n)` displays as `format!("{v:.n}")` does, for any `n`; `n` up to 4 takes
/// the fast path.
#[derive(Debug, Clone, Copy)]
pub struct Fixed(pub f64, pub usize);

/// The most fraction digits the fast path takes.
const MAX_DIGITS: usize = 4;

/// Powers of ten up to `10^MAX_DIGITS`.
const POW10: [u64; MAX_DIGITS + 1] = [1, 10, 100, 1_000, 10_000];

/// Scaled values above this fall back to `format!` (the digits are written from a `u64`).
const MAX_SCALED: u128 = 1 << 63;

/// Sign and `round(|value| × 10^digits)`, or None when the fast path does not apply.
fn scaled(value: f64, digits: usize) -> Option<(bool, u64)> {
    let ten = u128::from(*POW10.get(digits)?);
    if !value.is_finite() {
        return None;
    }
    let bits = value.to_bits();
    let negative = bits >> 63 == 1;
    let biased = i32::try_from((bits >> 52) & 0x7ff).ok()?;
    let fraction = bits & ((1 << 52) - 1);
    // value = mantissa × 2^exponent, exactly.
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    let numerator = u128::from(mantissa) * ten; // < 2^67
    let rounded = if exponent >= 0 {
        // An integer: exact when it stays in range.
        if exponent > 12 {
            return None;
        }
        numerator << exponent
    } else {
        let shift = exponent.unsigned_abs();
        if shift >= 100 {
            // Below 2^-33 after scaling: rounds to zero.
            0
        } else {
            let quotient = numerator >> shift;
            let remainder = numerator & ((1 << shift) - 1);
            let half = 1 << (shift - 1);
            if remainder > half || (remainder == half && quotient & 1 == 1) {
                quotient + 1
            } else {
                quotient
            }
        }
    };
    if rounded >= MAX_SCALED {
        return None;
    }
    Some((negative, u64::try_from(rounded).ok()?))
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fixed(value, digits) = *self;
        let Some((negative, rounded)) = scaled(value, digits) else {
            return write!(f, "{value:.digits$}");
        };
        // Digits from the last: the fraction, the point, the integer part.
        let mut text = [0u8; 24];
        let mut at = text.len();
        let mut rest = rounded;
        let mut put = |byte: u8| {
            at -= 1;
            text[at] = byte;
        };
        for _ in 0..digits {
            put(b'0' + (rest % 10) as u8);
            rest /= 10;
        }
        if digits > 0 {
            put(b'.');
        }
        loop {
            put(b'0' + (rest % 10) as u8);
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if negative {
            put(b'-');
        }
        // Only ASCII digits, `.` and `-` were written.
        f.write_str(std::str::from_utf8(&text[at..]).map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(value: f64) {
        for digits in 0..=MAX_DIGITS + 1 {
            assert_eq!(
                Fixed(value, digits).to_string(),
                format!("{value:.digits$}"),
                "{value:e} to {digits} digits"
            );
        }
    }

    /// Values of the size charts and figures use take the fast path (the
    /// comparisons below would pass through the fallback too).
    #[test]
    fn chart_sized_values_take_the_fast_path() {
        for value in [0.0, -0.0, 55.1, 199.95, -3.25, 1e9, 0.004] {
            assert!(scaled(value, 1).is_some(), "{value}");
            assert!(scaled(value, 2).is_some(), "{value}");
        }
        assert!(scaled(f64::NAN, 1).is_none());
        assert!(scaled(1e300, 1).is_none());
    }

    #[test]
    fn matches_the_standard_library_on_chosen_values() {
        for value in [
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.125,
            -0.125,
            2.5,
            3.5,
            -2.5,
            1.005,
            55.1,
            99.95,
            123.456,
            -0.004,
            -0.04,
            1e-300,
            f64::MIN_POSITIVE,
            5e-324,
            4_503_599_627_370_495.5,
            9_007_199_254_740_993.0,
            1e11,
            1e12,
            1e15,
            1e300,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            check(value);
        }
    }

    /// Every tie `k / 2^j` (exactly halfway at some digit) and a spread of
    /// other values, from a fixed-seed generator so a failure repeats.
    #[test]
    fn matches_the_standard_library_on_ties_and_random_values() {
        for j in 1..=12 {
            for k in -5000..5000 {
                check(f64::from(k) / f64::from(1 << j));
            }
        }
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..50_000 {
            let bits = next();
            // Arbitrary doubles, and values of the size charts and figures use.
            check(f64::from_bits(bits));
            #[allow(clippy::cast_precision_loss)]
            let small = (bits % 2_000_000_000) as f64 / 1000.0 - 1_000_000.0;
            check(small);
            check(small / 7.0);
        }
    }
}
