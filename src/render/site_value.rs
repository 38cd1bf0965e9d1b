//! The site model as a template value without a copy of it. Serialising the
//! whole `Site` into a minijinja value once per build doubled the memory of a
//! large site (every paragraph twice); here the small fields are serialised
//! once and the long lists (areas, indicators, plan, changelog) are lazy
//! sequences whose items are serialised when a template reaches them. Each
//! object answers `get_value_by_str` itself: the default makes a temporary
//! value per lookup.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::val;
use crate::model::Site;

/// The site and its serialised indicators, shared by every value below.
#[derive(Debug)]
struct Shared {
    site: Arc<Site>,
    /// Each indicator serialised once: its card shows on its pages, its area
    /// pages, the dashboard and the index.
    indicators: Vec<Value>,
    /// Each area's section as a path of child positions from `site.plan`
    /// (None if the model has it elsewhere).
    area_paths: Vec<Option<Vec<usize>>>,
}

/// The template values of one render.
pub struct Values {
    /// `site` in every template.
    pub site: Value,
    shared: Arc<Shared>,
}

impl Values {
    pub fn new(site: Arc<Site>) -> Self {
        let small = val(SmallFields {
            title: &site.title,
            publisher: &site.publisher,
            plan_title: &site.plan_title,
            base_url: &site.base_url,
            as_of_year: site.as_of_year,
            snapshot_year: site.snapshot_year,
            period: site.period,
            baseline_year: site.baseline_year,
            illustrative: site.illustrative,
            years: &site.years,
            latest: &site.latest,
            status_counts: &site.status_counts,
            preamble: &site.preamble,
            table_caption: &site.table_caption,
            pages: &site.pages,
            glossary: &site.glossary,
            seed: &site.seed,
        });
        let indicators = site
            .indicators
            .par_iter()
            .map(|ind| {
                val(WithSparkline {
                    view: ind,
                    sparkline: super::chart::sparkline(ind),
                })
            })
            .collect();
        let mut paths = HashMap::new();
        node_paths(&site.plan, &mut Vec::new(), &mut paths);
        let area_paths = site
            .areas
            .iter()
            .map(|a| paths.get(a.node.id.as_str()).cloned())
            .collect();
        let shared = Arc::new(Shared {
            site,
            indicators,
            area_paths,
        });
        Values {
            site: Value::from_object(SiteValue {
                shared: Arc::clone(&shared),
                small,
            }),
            shared,
        }
    }

    /// `ind` on an indicator page.
    pub fn indicator(&self, index: usize) -> Value {
        self.shared
            .indicators
            .get(index)
            .cloned()
            .unwrap_or_default()
    }

    /// `area` on an area page.
    pub fn area(&self, index: usize) -> Value {
        area_value(&self.shared, index)
    }
}

/// An indicator as templates see it: the model's view and its sparkline,
/// which render draws (the model holds no markup).
#[derive(Serialize)]
struct WithSparkline<'a> {
    #[serde(flatten)]
    view: &'a crate::model::IndicatorView,
    sparkline: String,
}

/// `site` for templates that need nothing else (the review packet).
pub fn site_value(site: Arc<Site>) -> Value {
    Values::new(site).site
}

#[derive(Debug)]
struct SiteValue {
    shared: Arc<Shared>,
    /// Everything but the long lists, serialised once.
    small: Value,
}

/// The fields of `Site` that are cheap to serialise whole.
#[derive(Serialize)]
struct SmallFields<'a> {
    title: &'a crate::content::Text,
    publisher: &'a Option<crate::content::Text>,
    plan_title: &'a crate::content::Text,
    base_url: &'a str,
    as_of_year: i32,
    snapshot_year: Option<i32>,
    period: (i32, i32),
    baseline_year: i32,
    illustrative: bool,
    years: &'a [crate::model::YearSummary],
    latest: &'a Option<crate::model::YearSummary>,
    status_counts: &'a [(&'static str, usize)],
    preamble: &'a [crate::model::ParaView],
    table_caption: &'a Option<crate::content::Text>,
    pages: &'a [crate::model::PageView],
    glossary: &'a [crate::content::glossary::Term],
    seed: &'a crate::model::SeedInfo,
}

const LISTS: [&str; 4] = ["areas", "indicators", "plan", "changelog"];

impl Object for SiteValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        if let Some(list) = LISTS.iter().position(|l| *l == key) {
            return Some(seq(LazyList {
                shared: Arc::clone(&self.shared),
                list,
            }));
        }
        self.small.get_attr(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        keys_and(&self.small, &LISTS)
    }
}

/// One of the long lists of the site, item by item.
#[derive(Debug)]
struct LazyList {
    shared: Arc<Shared>,
    /// Index into `LISTS`.
    list: usize,
}

impl Items for LazyList {
    fn len(&self) -> usize {
        let site = &self.shared.site;
        match self.list {
            0 => site.areas.len(),
            1 => site.indicators.len(),
            2 => site.plan.len(),
            _ => site.changelog.len(),
        }
    }

    fn item(&self, index: usize) -> Option<Value> {
        let site = &self.shared.site;
        match self.list {
            0 => (index < site.areas.len()).then(|| area_value(&self.shared, index)),
            1 => self.shared.indicators.get(index).cloned(),
            2 => (index < site.plan.len()).then(|| node_value(&self.shared, vec![index])),
            _ => (index < site.changelog.len()).then(|| log_value(&self.shared, index)),
        }
    }
}

/// An area, field by field: the areas index shows thousands of areas and
/// reads three fields of each. Its section is the plan's node (lazy like the
/// plan page's), its indicators the shared values.
#[derive(Debug)]
struct AreaValue {
    shared: Arc<Shared>,
    index: usize,
    /// `node`, made on first use: an area page reads it several times.
    node: OnceLock<Value>,
}

fn area_value(shared: &Arc<Shared>, index: usize) -> Value {
    Value::from_object(AreaValue {
        shared: Arc::clone(shared),
        index,
        node: OnceLock::new(),
    })
}

impl Fields for AreaValue {
    /// The fields of an area, in the order of `AreaView`'s serialisation.
    const KEYS: &'static [&'static str] = &[
        "slug",
        "short",
        "node",
        "years",
        "latest_status",
        "indicators",
    ];

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        let area = self.shared.site.areas.get(self.index)?;
        Some(match key {
            "slug" => Value::from(area.slug.as_str()),
            "short" => val(&area.short),
            "node" => self
                .node
                .get_or_init(|| match self.shared.area_paths.get(self.index) {
                    Some(Some(path)) => node_value(&self.shared, path.clone()),
                    _ => val(&*area.node),
                })
                .clone(),
            "years" => val(&area.years),
            "latest_status" => val(&area.latest_status),
            "indicators" => Value::from(
                area.indicators
                    .iter()
                    .filter_map(|i| self.shared.indicators.get(*i).cloned())
                    .collect::<Vec<Value>>(),
            ),
            _ => return None,
        })
    }
}

/// Every node's path of child positions, by id.
fn node_paths<N: std::borrow::Borrow<crate::model::NodeView>>(
    nodes: &[N],
    prefix: &mut Vec<usize>,
    out: &mut HashMap<String, Vec<usize>>,
) {
    for (i, node) in nodes.iter().enumerate() {
        let node = node.borrow();
        prefix.push(i);
        out.insert(node.id.clone(), prefix.clone());
        node_paths(&node.children, prefix, out);
        prefix.pop();
    }
}

/// A node of the plan, reached by its path of child positions from `site.plan`.
/// Its own fields are serialised when it is reached; its paragraphs and
/// children only when a template asks for them, so the plan page never holds
/// a serialised copy of the whole plan.
#[derive(Debug)]
struct NodeValue {
    shared: Arc<Shared>,
    path: Vec<usize>,
    own: Value,
}

/// The fields of a node other than its paragraphs and children.
#[derive(Serialize)]
struct NodeFields<'a> {
    id: &'a str,
    kind: &'a str,
    marker: &'a crate::content::Text,
    title: &'a crate::content::Text,
    title_translated: bool,
    title_translation: crate::model::TranslationState,
    lines: [usize; 2],
    cite: &'a crate::content::Text,
    area: &'a Option<String>,
}

fn node_at<'s>(site: &'s Site, path: &[usize]) -> Option<&'s crate::model::NodeView> {
    let (first, rest) = path.split_first()?;
    let mut node = site.plan.get(*first)?;
    for i in rest {
        node = node.children.get(*i)?;
    }
    Some(node)
}

fn node_value(shared: &Arc<Shared>, path: Vec<usize>) -> Value {
    let own = node_at(&shared.site, &path).map_or_else(Value::default, |n| {
        val(NodeFields {
            id: &n.id,
            kind: n.kind,
            marker: &n.marker,
            title: &n.title,
            title_translated: n.title_translated,
            title_translation: n.title_translation,
            lines: n.lines,
            cite: &n.cite,
            area: &n.area,
        })
    });
    Value::from_object(NodeValue {
        shared: Arc::clone(shared),
        path,
        own,
    })
}

impl Object for NodeValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        match key {
            "children" => Some(seq(NodeList {
                node: Arc::clone(self),
                paragraphs: false,
            })),
            "paragraphs" => Some(seq(NodeList {
                node: Arc::clone(self),
                paragraphs: true,
            })),
            key => self.own.get_attr(key).ok().filter(|v| !v.is_undefined()),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        keys_and(&self.own, &["paragraphs", "children"])
    }
}

/// A node's children (as nodes) or paragraphs (serialised one by one).
#[derive(Debug)]
struct NodeList {
    node: Arc<NodeValue>,
    paragraphs: bool,
}

impl Items for NodeList {
    fn len(&self) -> usize {
        node_at(&self.node.shared.site, &self.node.path).map_or(0, |n| {
            if self.paragraphs {
                n.paragraphs.len()
            } else {
                n.children.len()
            }
        })
    }

    fn item(&self, index: usize) -> Option<Value> {
        let node = node_at(&self.node.shared.site, &self.node.path)?;
        if self.paragraphs {
            (index < node.paragraphs.len()).then(|| {
                Value::from_object(ParaValue {
                    node: Arc::clone(&self.node),
                    index,
                })
            })
        } else {
            (index < node.children.len()).then(|| {
                let mut path = self.node.path.clone();
                path.push(index);
                node_value(&self.node.shared, path)
            })
        }
    }
}

/// A paragraph of a node, field by field: the plan and area pages show tens
/// of thousands and read three or four fields of each.
#[derive(Debug)]
struct ParaValue {
    node: Arc<NodeValue>,
    index: usize,
}

impl Fields for ParaValue {
    /// The fields of a paragraph, in the order of `ParaView`'s serialisation.
    const KEYS: &'static [&'static str] = &[
        "id",
        "zh",
        "en",
        "en_pieces",
        "translation",
        "notes",
        "lines",
        "cite",
    ];

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        let node = node_at(&self.node.shared.site, &self.node.path)?;
        let para = node.paragraphs.get(self.index)?;
        Some(match key {
            "id" => Value::from(para.id.as_str()),
            "zh" => Value::from(para.zh.as_str()),
            "en" => Value::from(para.en.as_deref()),
            "en_pieces" => val(&para.en_pieces),
            "translation" => val(para.translation),
            "notes" => val(&para.notes),
            "lines" => val(para.lines),
            "cite" => val(&para.cite),
            _ => return None,
        })
    }
}

/// A year of the changelog, field by field: at 10,000 pages the changelog
/// page lists ~25,000 changes, and serialising each year whole copied them all.
#[derive(Debug)]
struct LogValue {
    shared: Arc<Shared>,
    index: usize,
}

fn log_value(shared: &Arc<Shared>, index: usize) -> Value {
    Value::from_object(LogValue {
        shared: Arc::clone(shared),
        index,
    })
}

impl Fields for LogValue {
    /// The fields of a year's log, in the order of `YearLog`'s serialisation.
    const KEYS: &'static [&'static str] = &["year", "as_of", "entries"];

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        let log = self.shared.site.changelog.get(self.index)?;
        Some(match key {
            "year" => Value::from(log.year),
            "as_of" => Value::from(log.as_of.as_str()),
            "entries" => seq(Arc::clone(self)),
            _ => return None,
        })
    }
}

/// A year's changes.
impl Items for Arc<LogValue> {
    fn len(&self) -> usize {
        self.shared
            .site
            .changelog
            .get(self.index)
            .map_or(0, |log| log.entries.len())
    }

    fn item(&self, index: usize) -> Option<Value> {
        (index < self.len()).then(|| {
            Value::from_object(ChangeValue {
                log: Arc::clone(self),
                index,
            })
        })
    }
}

/// One change of a year's log.
#[derive(Debug)]
struct ChangeValue {
    log: Arc<LogValue>,
    index: usize,
}

impl Fields for ChangeValue {
    /// The fields of a change, in the order of `ChangeEntry`'s serialisation.
    const KEYS: &'static [&'static str] = &["date", "kind", "text", "indicator", "area"];

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        let log = self.log.shared.site.changelog.get(self.log.index)?;
        let change = log.entries.get(self.index)?;
        Some(match key {
            "date" => Value::from(change.date.as_deref()),
            "kind" => Value::from(change.kind),
            "text" => val(&change.text),
            "indicator" => Value::from(change.indicator.as_deref()),
            "area" => Value::from(change.area.as_deref()),
            _ => return None,
        })
    }
}

/// A value that templates read field by field: `KEYS`, in the order of the
/// value's serialisation (what printing or iterating it shows), and each
/// field made when it is asked for.
pub(super) trait Fields: std::fmt::Debug + Send + Sync + Sized + 'static {
    const KEYS: &'static [&'static str];
    fn field(self: &Arc<Self>, key: &str) -> Option<Value>;
}

/// `Object` for types with `Fields` (a blanket impl of minijinja's trait is
/// not allowed). Each answers `get_value_by_str` itself: minijinja's default
/// makes a temporary value of the name for every lookup.
macro_rules! object_of_fields {
    ($($t:ty),*) => {$(
        impl Object for $t {
            fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
                self.field(key.as_str()?)
            }
            fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
                self.field(key)
            }
            fn enumerate(self: &Arc<Self>) -> Enumerator {
                Enumerator::Str(Self::KEYS)
            }
        }
    )*};
}
pub(super) use object_of_fields;

object_of_fields!(AreaValue, ParaValue, LogValue, ChangeValue);

/// A list whose items are made when a template reaches them.
trait Items: std::fmt::Debug + Send + Sync + 'static {
    fn len(&self) -> usize;
    fn item(&self, index: usize) -> Option<Value>;
}

/// Any `Items` as a minijinja sequence.
#[derive(Debug)]
struct Seq<T>(T);

fn seq(items: impl Items) -> Value {
    Value::from_object(Seq(items))
}

impl<T: Items> Object for Seq<T> {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_i64()?;
        // Negative indexes count from the end, as in Python and minijinja's own lists.
        let index = if index < 0 {
            i64::try_from(self.0.len()).ok()? + index
        } else {
            index
        };
        self.0.item(usize::try_from(index).ok()?)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.0.len())
    }

    fn is_true(self: &Arc<Self>) -> bool {
        self.0.len() > 0
    }
}

/// A language's interface strings (`p.s.key`, `strings.en.key`). A page looks
/// up ~60 of them, and a serialised map hashes each key with SipHash.
#[derive(Debug)]
struct StringTable(FxHashMap<String, Value>);

pub fn string_table<'a>(table: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    Value::from_object(StringTable(
        table
            .into_iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    ))
}

impl Object for StringTable {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.0.get(key).cloned()
    }

    /// In key order, as the serialised map was (templates rarely iterate it).
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<&String> = self.0.keys().collect();
        keys.sort_unstable();
        Enumerator::Values(keys.into_iter().map(|k| Value::from(k.as_str())).collect())
    }
}

/// The keys of a serialised struct followed by `extra`.
fn keys_and(fields: &Value, extra: &[&'static str]) -> Enumerator {
    let mut keys: Vec<Value> = fields
        .try_iter()
        .map(|keys| keys.collect())
        .unwrap_or_default();
    keys.extend(extra.iter().map(|k| Value::from(*k)));
    Enumerator::Values(keys)
}

#[cfg(test)]
mod tests {
    use minijinja::Environment;

    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_string_table_reads_like_the_serialised_map() {
        let table: BTreeMap<String, String> = [("b", "<B>"), ("a", "A"), ("c", "C")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let env = Environment::new();
        let template = "{{ s.b }}|{{ s['a'] }}|{{ s.missing is undefined }}|{{ s | length }}|{% for k in s %}{{ k }}{% endfor %}|{{ s.b | upper }}";
        let render = |s: Value| {
            env.render_str(template, minijinja::context! { s => s })
                .expect("renders")
        };
        assert_eq!(render(string_table(&table)), render(val(&table)));
        assert_eq!(render(string_table(&table)), "<B>|A|True|3|abc|<B>");
    }

    #[test]
    fn templates_see_the_same_site_as_a_full_serialisation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let Ok(input) = crate::content::load(root) else {
            panic!("the default site loads")
        };
        let theme = crate::render::Theme::embedded();
        let site = crate::pipeline::model(&input, &theme, None);
        let full = val(&*site);
        let lazy = site_value(Arc::clone(&site));
        let env = Environment::new();
        for expr in [
            "site.title.zh",
            "site.areas | length",
            "site.areas[0].slug",
            "site.areas[-1].node.paragraphs | length",
            "site.indicators | map(attribute='id') | join(',')",
            "site.plan[1].children[0].title.en",
            "site.plan[2].children[1].paragraphs[0].cite.zh",
            "site.plan[0].paragraphs | map(attribute='id') | join(',')",
            "site.plan[1].children[0].paragraphs[-1].en ~ site.plan[1].children[0].paragraphs[0].lines | join('-')",
            "site.plan[1].children[0].paragraphs | map(attribute='zh') | join('|')",
            "site.plan[1].children[0].paragraphs[0].en is none or site.plan[1].children[0].paragraphs[0].en",
            "site.plan[1].children[0].paragraphs[0].nothing is undefined",
            "site.plan | map(attribute='children') | map('length') | list",
            "site.plan[1].children[0].children is defined and site.plan[1].children[0].nothing is undefined",
            "site.changelog | length",
            "site.changelog[0].year ~ site.changelog[-1].as_of ~ (site.changelog[0].entries | length)",
            "site.changelog[-1].entries[0]",
            "site.changelog | map(attribute='entries') | map('length') | list",
            "site.changelog[-1].entries | map(attribute='kind') | join(',')",
            "site.changelog[-1].entries | map(attribute='text') | map(attribute='en') | join('|')",
            "site.changelog[-1].entries | selectattr('indicator') | map(attribute='indicator') | join(',')",
            "site.changelog[-1].entries | selectattr('area') | map(attribute='area') | join(',')",
            "site.changelog[-1].entries | map(attribute='date') | list",
            "site.changelog[0].nothing is undefined and site.changelog[0].entries[0].nothing is undefined",
            "site.latest.year",
            "site.status_counts",
            "site.areas is defined and site.nothing is undefined",
            "site.indicators | selectattr('origin', 'eq', 'quote') | list | length",
            "site.areas[3].years | map(attribute='year') | list",
            "site.areas[0].slug ~ site.areas[0].short.en ~ site.areas[0].latest_status",
            "site.areas[1].node.title.en ~ site.areas[1].node.marker.zh ~ site.areas[1].node.cite.en",
            "site.areas[-1].node.paragraphs | map(attribute='zh') | join('|')",
            "site.areas[2].node.id == site.plan[2].children[1].id or site.areas[2].node.kind",
            "site.areas[0].years[-1].milestones | map(attribute='done') | list",
            "site.areas[0].node.nothing is undefined and site.areas[0].nothing is undefined",
        ] {
            let e = env.compile_expression(expr).expect("expression");
            let a = e
                .eval(minijinja::context! { site => full.clone() })
                .expect("full");
            let b = e
                .eval(minijinja::context! { site => lazy.clone() })
                .expect("lazy");
            assert_eq!(a.to_string(), b.to_string(), "{expr}");
        }
        // An area's indicators are the site's, in the model's order.
        let area = site
            .areas
            .iter()
            .position(|a| !a.indicators.is_empty())
            .expect("an area with indicators");
        let expected: Vec<&str> = site.areas[area]
            .indicators
            .iter()
            .map(|i| site.indicators[*i].id.as_str())
            .collect();
        let e = env
            .compile_expression("site.areas[i].indicators | map(attribute='id') | join(',')")
            .expect("expression");
        let got = e
            .eval(minijinja::context! { site => lazy.clone(), i => area })
            .expect("lazy");
        assert_eq!(got.to_string(), expected.join(","));
    }
}
