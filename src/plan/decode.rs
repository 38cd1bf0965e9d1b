//! Bytes of a plan file → text. UTF-8 (with or without BOM) is expected; a
//! GB18030/GBK file is detected, decoded and reported; anything else is an error
//! that names the line and column of the first bad byte.

use super::parse::PlanError;

#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// `UTF-8`, `UTF-8 (BOM)`, or `GB18030`.
    pub encoding: &'static str,
    pub warning: Option<String>,
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, PlanError> {
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let (line, col) = position_of(bytes, pos);
        return Err(PlanError::new(
            line,
            col,
            "the file contains a NUL byte: it is binary, not a plan text",
        )
        .with_help("give plansite the plan as a UTF-8 (or GB18030) text file"));
    }
    let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            encoding: if bom { "UTF-8 (BOM)" } else { "UTF-8" },
            warning: None,
        }),
        Err(utf8_error) => {
            let decoded =
                encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body);
            match decoded {
                // GB18030 maps almost any byte soup to *something*; demand real Chinese text.
                Some(text) if looks_chinese(&text) => Ok(Decoded {
                    text: text.into_owned(),
                    encoding: "GB18030",
                    warning: Some("the plan is encoded in GB18030/GBK, not UTF-8; it was decoded (save it as UTF-8 to silence this)".into()),
                }),
                _ => {
                    let offset = utf8_error.valid_up_to() + usize::from(bom) * 3;
                    let (line, col) = position_of(bytes, offset);
                    Err(PlanError::new(line, col, format!("invalid UTF-8 (byte 0x{:02X}) and not GB18030 text either", bytes[offset]))
                        .with_help("save the plan text as UTF-8"))
                }
            }
        }
    }
}

fn looks_chinese(text: &str) -> bool {
    let mut cjk = 0usize;
    let mut other = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if super::is_cjk(c) {
            cjk += 1
        } else if !c.is_ascii() {
            other += 1
        }
    }
    cjk > 0 && other * 10 <= cjk
}

/// 1-based line and character column of a byte offset (lossy before the offset).
fn position_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("一、总则".as_bytes()).map(|d| d.encoding),
            Ok("UTF-8")
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("一、总则".as_bytes());
        let d = decode(&bom).expect("decodes");
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-8 (BOM)", "一、总则"));
    }

    #[test]
    fn gb18030_is_detected_and_reported() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("一、发展基础\n教育事业发展。");
        let d = decode(&bytes).expect("decodes");
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, "一、发展基础\n教育事业发展。");
        assert!(d.warning.is_some());
    }

    #[test]
    fn junk_and_nul_are_errors_with_positions() {
        let err = decode(b"ok\nab\xFF\xFE\xFD").expect_err("junk");
        assert_eq!((err.line, err.column), (2, 3));
        let err = decode(b"a\nb\0").expect_err("nul");
        assert_eq!((err.line, err.column), (2, 2));
    }
}
