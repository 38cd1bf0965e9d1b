//! The English edition as XLIFF 2.0, for translators' own tools (OmegaT,
//! memoQ, Trados): one `<unit>` per plan unit (title, heading, paragraph,
//! table caption) with the Chinese as `<source>` and the English as
//! `<target>`; the segment's `state` says whether the English is current
//! (`translated`) or to do (`initial`: missing, or stale when its Chinese
//! changed), and `subState="plansite:HASH"` the `zh_hash` of the Chinese it
//! translates. The glossary terms a unit uses travel with it (the XLIFF
//! Glossary module), and its translator's notes as `<notes>`.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::glossary::Term;
use super::translation::{Entry, State, Unit, zh_hash};
use crate::plan::unescape_xml as unescape;

const XLIFF_NS: &str = "urn:oasis:names:tc:xliff:document:2.0";
const GLOSSARY_NS: &str = "urn:oasis:names:tc:xliff:glossary:2.0";

/// Text escaped for XML content and attributes; characters XML 1.0 cannot
/// hold are left out.
fn esc(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    quick_xml::escape::escape(kept.as_str()).into_owned()
}

/// The XLIFF document of the plan's units and their English.
pub fn export(
    units: &[Unit],
    entries: &[Entry],
    state: &dyn Fn(&str) -> State,
    glossary: &[Term],
    original: &str,
) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"{XLIFF_NS}\" xmlns:gls=\"{GLOSSARY_NS}\" version=\"2.0\" srcLang=\"zh-CN\" trgLang=\"en\">\n<file id=\"plan\" original=\"{}\">\n",
        esc(original)
    );
    let by_id: std::collections::HashMap<&str, &Entry> =
        entries.iter().map(|e| (e.id.as_str(), e)).collect();
    for unit in units {
        let entry = by_id.get(unit.id.as_str()).copied();
        out.push_str(&format!("<unit id=\"{}\">\n", esc(&unit.id)));
        if let Some(e) = entry.filter(|e| !e.notes.is_empty()) {
            out.push_str("<notes>\n");
            for (_, text) in &e.notes {
                out.push_str(&format!(
                    "<note category=\"translator\">{}</note>\n",
                    esc(text)
                ));
            }
            out.push_str("</notes>\n");
        }
        let terms: Vec<&Term> = glossary
            .iter()
            .filter(|t| unit.zh.contains(&t.zh))
            .collect();
        if !terms.is_empty() {
            out.push_str("<gls:glossary>\n");
            for t in terms {
                out.push_str(&format!(
                    "<gls:glossEntry><gls:term>{}</gls:term><gls:translation>{}</gls:translation>{}</gls:glossEntry>\n",
                    esc(&t.zh),
                    esc(&t.en),
                    t.note
                        .as_ref()
                        .map_or(String::new(), |n| format!("<gls:definition>{}</gls:definition>", esc(n)))
                ));
            }
            out.push_str("</gls:glossary>\n");
        }
        let (state_name, hash) = match (state(&unit.id), entry) {
            (State::Current, Some(e)) => ("translated", e.zh_hash.clone()),
            (_, Some(e)) => ("initial", e.zh_hash.clone()),
            (_, None) => ("initial", zh_hash(unit.zh)),
        };
        out.push_str(&format!(
            "<segment state=\"{state_name}\" subState=\"plansite:{hash}\">\n<source>{}</source>\n",
            esc(unit.zh)
        ));
        if let Some(e) = entry {
            out.push_str(&format!("<target>{}</target>\n", esc(&e.en)));
        }
        out.push_str("</segment>\n</unit>\n");
    }
    out.push_str("</file>\n</xliff>\n");
    out
}

/// One unit as a translator's tool gave it back.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub id: String,
    pub source: String,
    pub target: String,
}

/// The units of an XLIFF 2.0 document (their first segment's source and
/// target; inline codes are read as their text).
pub fn import(xml: &str) -> Result<Vec<Imported>, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut unit: Option<Imported> = None;
    // Which element's text is being read: source, target or none.
    let mut reading: Option<bool> = None;
    let mut saw_xliff = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "xliff" => saw_xliff = true,
                "unit" => {
                    let id = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "id")
                        .map(|a| a.value.to_string())
                        .ok_or("a <unit> without an id")?;
                    unit = Some(Imported {
                        id,
                        source: String::new(),
                        target: String::new(),
                    });
                }
                "source" => reading = Some(true),
                "target" => reading = Some(false),
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "source" | "target" => reading = None,
                "unit" => out.extend(unit.take()),
                _ => {}
            },
            Ok(Event::Text(t)) => {
                if let (Some(u), Some(source)) = (unit.as_mut(), reading) {
                    let text: &str = t.as_ref();
                    let field = if source { &mut u.source } else { &mut u.target };
                    field.push_str(&unescape(text));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let (Some(u), Some(source)) = (unit.as_mut(), reading) {
                    let name: &str = r.as_ref();
                    let field = if source { &mut u.source } else { &mut u.target };
                    field.push_str(&unescape(&format!("&{name};")));
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(format!(
                    "not well-formed XML at byte {}: {e}",
                    reader.error_position()
                ));
            }
            _ => {}
        }
    }
    if !saw_xliff {
        return Err("not an XLIFF document (no <xliff> element)".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_goes_out_and_comes_back() {
        let units = [Unit {
            id: "0.p1".into(),
            zh: "鼓励社会力量办学 & <改革>",
            lines: [3, 3],
            paragraph: true,
        }];
        let entries = [Entry {
            id: "0.p1".into(),
            zh_hash: "abc".into(),
            en: "Encourage non-governmental actors \"to\" run schools & <reform>.".into(),
            notes: vec![(None, "a note".into())],
        }];
        let terms = [Term {
            zh: "社会力量".into(),
            en: "non-governmental actors".into(),
            forms: Vec::new(),
            enforce: true,
            note: None,
            kind: super::super::glossary::Kind::Term,
        }];
        let xml = export(
            &units,
            &entries,
            &|_| State::Stale,
            &terms,
            "seeds/plan.txt",
        );
        assert!(
            xml.contains("<segment state=\"initial\" subState=\"plansite:abc\">"),
            "{xml}"
        );
        assert!(xml.contains("<gls:term>社会力量</gls:term>"), "{xml}");
        let back = import(&xml).expect("reads");
        assert_eq!(
            back,
            [Imported {
                id: "0.p1".into(),
                source: units[0].zh.into(),
                target: entries[0].en.clone(),
            }]
        );
        assert!(import("<html/>").is_err());
        assert!(import("<xliff><unit").is_err());
    }
}
