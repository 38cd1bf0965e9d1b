//! Chinese numerals as they appear in heading markers and targets (`十五`, `二十三`, `百`, `千`).

/// Parses `一`…`九十九`, plus `百`/`千`/`万` multiples (`十名` → 10, `百名` → 100,
/// `千名` → 1000, `两千` → 2000). Returns `None` for anything else.
pub fn parse_chinese_numeral(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    let mut total: u32 = 0;
    let mut section: u32 = 0;
    let mut digit: Option<u32> = None;
    for c in text.chars() {
        let d = match c {
            // A zero only holds a place (`一百零五`).
            '零' | '〇' => continue,
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            if digit.is_some() {
                return None; // `一一` is not a numeral
            }
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            _ => return None,
        };
        let d = digit.take().unwrap_or(1);
        if unit == 10_000 {
            total = total
                .checked_add(section.checked_add(d)?)?
                .checked_mul(unit)?;
            section = 0;
            if d == 0 {
                return None;
            }
        } else {
            section = section.checked_add(d.checked_mul(unit)?)?;
        }
    }
    let value = total
        .checked_add(section)?
        .checked_add(digit.unwrap_or(0))?;
    Some(value)
}

/// `1` → `一`, `15` → `十五`, `23` → `二十三`, `105` → `一百零五`, `3000` → `三千`.
pub fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return DIGITS[0].to_string();
    }
    if (10..20).contains(&n) {
        return format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n - 10) as usize]
            }
        );
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let mut out = String::new();
    let mut pending_zero = false;
    for (unit, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
        let d = (n / unit) % 10;
        if d == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push_str(DIGITS[0]);
            pending_zero = false;
        }
        out.push_str(DIGITS[d as usize]);
        out.push_str(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse_chinese_numeral as n;

    #[test]
    fn numerals() {
        assert_eq!(n("一"), Some(1));
        assert_eq!(n("十"), Some(10));
        assert_eq!(n("十五"), Some(15));
        assert_eq!(n("二十三"), Some(23));
        assert_eq!(n("百"), Some(100));
        assert_eq!(n("千"), Some(1000));
        assert_eq!(n("两千"), Some(2000));
        assert_eq!(n("一百零五"), Some(105));
        assert_eq!(n("三千"), Some(3000));
        assert_eq!(n("一千九百九十四"), Some(1994));
        assert_eq!(n("一一"), None);
        assert_eq!(n("十四五"), None);
        assert_eq!(n("abc"), None);
        assert_eq!(n(""), None);
    }
}
