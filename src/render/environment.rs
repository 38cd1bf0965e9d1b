//! The template environment of a theme: its templates, escaping, strict
//! undefined names, the fuel that bounds a site's own templates, and the
//! globals every template may use (`nav`, the status icons and badges).

use std::collections::BTreeMap;

use minijinja::{Environment, Value, context};

use super::escape::escape_into;
use super::{RenderError, Theme, site_value, val};
use crate::content::progress::AreaStatus;
use crate::i18n::LANGS;
use crate::routes::View;

/// The template environment of a theme: every template loaded, HTML escaping
/// for `.html`, the badge symbols as globals, and a fuel limit for a site's
/// own templates.
pub fn environment(theme: &Theme) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        // XML is escaped as HTML is (the same five characters).
        if name.ends_with(".html") || name.ends_with(".xml") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    // A name or field a template reads that the context lacks is an error, not
    // an empty string: a theme that misspells a field fails its build.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // HTML-escape `& < > " '` only: minijinja's default also escapes `/`, which
    // bloats every relative link (`..&#x2f;..&#x2f;`) for no safety gain.
    env.set_formatter(|out, state, value| {
        if *state.auto_escape() == minijinja::AutoEscape::Html
            && !value.is_safe()
            && !value.is_undefined()
            && !value.is_none()
        {
            let owned;
            let text = match value.as_str() {
                Some(s) => s,
                None => {
                    owned = value.to_string();
                    &owned
                }
            };
            return escape_into(text, true, |part| {
                out.write_str(part).map_err(minijinja::Error::from)
            });
        }
        minijinja::escape_formatter(out, state, value)
    });
    // Fuel bounds the work a template may do, so that a runaway loop in a
    // site's own template is an error, not a hang. The embedded templates'
    // work is linear in the content, and counting fuel is ~4 % of a build's
    // instructions, so it is counted only for templates a site brings.
    if !theme.has_default_templates() {
        env.set_fuel(Some(TEMPLATE_FUEL));
    }
    // Markup as plain text, escaped again where it is written: the HTML
    // inside an Atom feed's `type="html"` content.
    env.add_filter("as_text", |value: Value| Value::from(value.to_string()));
    // Symbols of the status badges (language-neutral; the words are in the i18n strings).
    env.add_global("status_icons", val(BTreeMap::from(status_icons())));
    env.add_global(
        "area_icons",
        val(BTreeMap::from(AreaStatus::ALL.map(|s| (s.key(), s.icon())))),
    );
    // The main navigation: interface-string key and path under the language folder.
    env.add_global(
        "nav",
        val([
            ("nav_home", View::Dashboard),
            ("nav_areas", View::Areas),
            ("nav_indicators", View::Indicators),
            ("nav_changelog", View::Changelog),
            ("nav_plan", View::Plan),
            ("nav_about", View::About),
            ("nav_search", View::Search),
        ]
        .map(|(key, view)| (key, view.dir()))),
    );
    // Each generated section's folder under a language folder, by name
    // (`paths.methodology`): templates link to sections through it.
    env.add_global(
        "paths",
        val(BTreeMap::from([
            ("areas", View::Areas.dir()),
            ("indicators", View::Indicators.dir()),
            ("changelog", View::Changelog.dir()),
            ("plan", View::Plan.dir()),
            ("about", View::About.dir()),
            ("methodology", View::Methodology.dir()),
            ("search", View::Search.dir()),
            ("reporting", View::Reporting.dir()),
        ])),
    );
    for (name, source) in &theme.templates {
        env.add_template_owned(name.clone(), source.clone())
            .map_err(|e| RenderError(format!("template {name}: {e}")))?;
    }
    // The badge macros rendered once per language and key (see macros.html):
    // a 10,000-page site shows ~80,000 badges of ~30 kinds.
    let status_keys = status_icons().map(|(key, _)| Some(key));
    let area_keys = AreaStatus::ALL.map(|s| Some(s.key()));
    let mut status_badges = BTreeMap::new();
    let mut area_badges = BTreeMap::new();
    for lang in LANGS {
        let p = context! { lang => lang, s => site_value::string_table(theme.strings.table(lang)) };
        status_badges.insert(lang, badges(&env, "status_badge", &p, &status_keys)?);
        area_badges.insert(
            lang,
            badges(
                &env,
                "area_badge",
                &p,
                &[area_keys.as_slice(), &[None]].concat(),
            )?,
        );
    }
    env.add_global("status_badges", Value::from(status_badges));
    env.add_global("area_badges", Value::from(area_badges));
    Ok(env)
}

/// The fuel of one page rendered with a site's own templates. With fuel
/// counted, the default templates render every page of a 10,000-page site
/// within it, the plan page included.
const TEMPLATE_FUEL: u64 = 50_000_000;

/// The method's numbers, for the methodology page (`method`).
pub(super) fn method_numbers() -> Value {
    use crate::status as st;
    context! {
        on_track => st::ON_TRACK,
        acceleration => st::ACCELERATION,
        no_target_on_track => st::NO_TARGET_ON_TRACK * 100.0,
        no_target_acceleration => st::NO_TARGET_ACCELERATION * 100.0,
        exponent => st::SCALE_EXPONENT,
        zero => st::ZERO_REPLACEMENT,
    }
}

/// Each progress status's key and symbol.
fn status_icons() -> [(&'static str, &'static str); 7] {
    crate::status::Progress::ALL.map(|p| (p.key(), p.icon()))
}

/// `key → HTML` of one badge macro of `macros.html` (`None` is stored as `"none"`).
fn badges(
    env: &Environment<'static>,
    name: &str,
    p: &Value,
    keys: &[Option<&str>],
) -> Result<BTreeMap<String, Value>, RenderError> {
    let source = format!("{{% import \"macros.html\" as m %}}{{{{ m.{name}(key, p) }}}}");
    let template = env
        .template_from_str(&source)
        .map_err(|e| RenderError(format!("macros.html {name}: {e}")))?;
    keys.iter()
        .map(|key| {
            let html = template
                .render(context! { key => key, p => p.clone() })
                .map_err(|e| RenderError(format!("macros.html {name}: {e:#}")))?;
            Ok((
                key.unwrap_or("none").to_string(),
                Value::from_safe_string(html),
            ))
        })
        .collect()
}
