//! The top of a page's template context as typed objects. A template looks up
//! `p`, `site` and the like a few hundred times a page; a `context!` map (or
//! two merged) compares the name with each key in turn, and a serialised
//! struct builds a temporary value per lookup. These answer with one `match`.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object};

use super::site_value::{Fields, object_of_fields};

/// `p`: what every template and macro gets about the page it renders.
#[derive(Debug)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct PageEnv {
    /// `zh` or `en`.
    pub lang: Value,
    /// Interface strings of `lang`.
    pub s: Value,
    /// `../` repeated up to the site root (empty at the root).
    pub root: Value,
    /// `index.html` in portable mode, else empty: appended to folder links.
    pub ix: Value,
    /// `root` then `lang/`: the language's home, which most links start from.
    pub home: Value,
    /// Where "Snapshots" leads (relative), or empty when the site has none.
    pub archive: Value,
}

impl PageEnv {
    pub fn new(
        lang: &'static str,
        s: Value,
        archive: String,
        root: String,
        ix: &'static str,
    ) -> Self {
        PageEnv {
            lang: Value::from(lang),
            s,
            home: Value::from(format!("{root}{lang}/")),
            root: Value::from(root),
            ix: Value::from(ix),
            archive: Value::from(archive),
        }
    }
}

/// `PageEnv`'s fields, in order (a test holds them to the struct's).
const PAGE_ENV_KEYS: [&str; 6] = ["lang", "s", "root", "ix", "home", "archive"];

impl Fields for PageEnv {
    fn keys(self: &Arc<Self>) -> Vec<&'static str> {
        PAGE_ENV_KEYS.to_vec()
    }

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        Some(
            match key {
                "s" => &self.s,
                "home" => &self.home,
                "root" => &self.root,
                "lang" => &self.lang,
                "ix" => &self.ix,
                "archive" => &self.archive,
                _ => return None,
            }
            .clone(),
        )
    }
}

object_of_fields!(PageEnv);

/// The names every page template has at its top level.
#[derive(Debug)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Common {
    pub site: Value,
    pub p: Value,
    pub title: Value,
    /// The main-navigation key of the page's section (`aria-current`).
    pub section: Value,
    pub css_path: Value,
    pub js_path: Value,
    /// `none` on pages without a counterpart in the other language.
    pub alternate: Value,
    pub feed_path: Value,
    pub search_index: Value,
    /// The live page's absolute address (`none` without a base URL).
    pub canonical: Value,
    /// Set in an archived snapshot: its name, year, revision and reason;
    /// `none` elsewhere.
    pub snapshot: Value,
}

const COMMON_KEYS: [&str; 11] = [
    "site",
    "p",
    "title",
    "section",
    "css_path",
    "js_path",
    "alternate",
    "feed_path",
    "search_index",
    "canonical",
    "snapshot",
];

/// A page's whole top-level context: the common names, then the page's own
/// (`area`, `ind`, `chart`, …). A name in both is the page's own.
#[derive(Debug)]
pub struct PageContext {
    common: Common,
    own: Vec<(&'static str, Value)>,
}

impl PageContext {
    pub fn value(common: Common, own: Vec<(&'static str, Value)>) -> Value {
        Value::from_object(PageContext { common, own })
    }
}

impl Object for PageContext {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        if let Some((_, value)) = self.own.iter().find(|(k, _)| *k == key) {
            return Some(value.clone());
        }
        let c = &self.common;
        Some(
            match key {
                "p" => &c.p,
                "site" => &c.site,
                "title" => &c.title,
                "section" => &c.section,
                "css_path" => &c.css_path,
                "js_path" => &c.js_path,
                "alternate" => &c.alternate,
                "feed_path" => &c.feed_path,
                "search_index" => &c.search_index,
                "canonical" => &c.canonical,
                "snapshot" => &c.snapshot,
                _ => return None,
            }
            .clone(),
        )
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<Value> = COMMON_KEYS
            .iter()
            .filter(|k| !self.own.iter().any(|(own, _)| own == *k))
            .map(|k| Value::from(*k))
            .collect();
        keys.extend(self.own.iter().map(|(k, _)| Value::from(*k)));
        Enumerator::Values(keys)
    }
}

#[cfg(test)]
mod tests {
    use minijinja::{Environment, context};

    use super::*;

    fn common() -> Common {
        Common {
            site: context! { title => "T" },
            p: Value::from_object(PageEnv::new(
                "en",
                context! { hi => "Hello" },
                String::new(),
                "../".into(),
                "",
            )),
            title: Value::from("Page"),
            section: Value::from("nav_home"),
            css_path: Value::from("a.css"),
            js_path: Value::from("a.js"),
            alternate: Value::from(()),
            feed_path: Value::from("en/changelog/atom.xml"),
            search_index: Value::from("search/en.js"),
            canonical: Value::from(()),
            snapshot: Value::from(()),
        }
    }

    /// The typed context reads as the merged `context!` maps it replaces.
    #[test]
    fn a_page_context_reads_like_the_merged_maps() {
        let template = "{{ p.lang }}|{{ p.s.hi }}|{{ p.root }}|{{ p.ix }}|{{ p.home }}|{{ title }}|{{ site.title }}|{{ alternate is none }}|{{ nothing is undefined }}|{{ area }}|{{ title | upper }}|{% for k in p %}{{ k }},{% endfor %}|{{ range(2) | list }}";
        let env = Environment::new();
        let typed = PageContext::value(common(), vec![("area", Value::from("A"))]);
        let c = common();
        let maps = context! {
            ..context! {
                site => c.site, p => context! { lang => "en", s => context! { hi => "Hello" }, root => "../", ix => "", home => "../en/", archive => "" },
                title => c.title, section => c.section, css_path => c.css_path, js_path => c.js_path,
                alternate => c.alternate, feed_path => c.feed_path, search_index => c.search_index,
            },
            ..context! { area => "A" }
        };
        let a = env.render_str(template, typed).expect("typed");
        let b = env.render_str(template, maps).expect("maps");
        assert_eq!(a, b);
        assert_eq!(
            a,
            "en|Hello|../||../en/|Page|T|True|True|A|PAGE|lang,s,root,ix,home,archive,|[0, 1]"
        );
    }

    /// The hand-written lookups answer exactly the structs' fields, so a field
    /// added to `PageEnv` or `Common` cannot be left out of templates' view.
    #[test]
    fn the_lookups_answer_every_field_of_the_structs() {
        let c = common();
        assert_eq!(crate::render::fields::keys(&c), COMMON_KEYS);
        let typed = PageContext::value(common(), Vec::new());
        for key in COMMON_KEYS {
            assert!(
                typed.get_attr(key).is_ok_and(|v| !v.is_undefined()),
                "{key}"
            );
        }
        let env = PageEnv::new("en", Value::from("s"), "a".into(), "../".into(), "");
        assert_eq!(crate::render::fields::keys(&env), PAGE_ENV_KEYS);
        let env = Value::from_object(env);
        for key in PAGE_ENV_KEYS {
            assert!(env.get_attr(key).is_ok_and(|v| !v.is_undefined()), "{key}");
        }
    }

    #[test]
    fn a_page_s_own_name_wins() {
        let typed = PageContext::value(common(), vec![("title", Value::from("Own"))]);
        let env = Environment::new();
        assert_eq!(
            env.render_str("{{ title }}", typed).expect("renders"),
            "Own"
        );
    }
}
