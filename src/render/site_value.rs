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

use super::{fields, val};
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
        let keys = fields::keys(&*site);
        let small = keys
            .iter()
            .filter(|k| !LISTS.contains(k))
            .filter_map(|k| Some((*k, fields::field(&*site, k)?)))
            .collect();
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
                keys,
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
    /// Every field of `Site` but the long lists, serialised once.
    small: Vec<(&'static str, Value)>,
    /// `Site`'s fields in the order of its serialisation.
    keys: Vec<&'static str>,
}

/// The fields of `Site` made lazily, item by item.
const LISTS: [&str; 4] = ["areas", "indicators", "plan", "changelog"];

impl Fields for SiteValue {
    fn keys(self: &Arc<Self>) -> Vec<&'static str> {
        self.keys.clone()
    }

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        if let Some(list) = LISTS.iter().position(|l| *l == key) {
            return Some(seq(LazyList {
                shared: Arc::clone(&self.shared),
                list,
            }));
        }
        self.small
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
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
    /// `AreaView`'s fields, then its indicators (not serialised: positions).
    fn keys(self: &Arc<Self>) -> Vec<&'static str> {
        let mut keys = self
            .shared
            .site
            .areas
            .get(self.index)
            .map(fields::keys)
            .unwrap_or_default();
        keys.push("indicators");
        keys
    }

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        let area = self.shared.site.areas.get(self.index)?;
        Some(match key {
            "node" => self
                .node
                .get_or_init(|| match self.shared.area_paths.get(self.index) {
                    Some(Some(path)) => node_value(&self.shared, path.clone()),
                    _ => val(&*area.node),
                })
                .clone(),
            "indicators" => Value::from(
                area.indicators
                    .iter()
                    .filter_map(|i| self.shared.indicators.get(*i).cloned())
                    .collect::<Vec<Value>>(),
            ),
            key => return fields::field(area, key),
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
/// Each field is serialised when a template asks for it, its paragraphs and
/// children item by item, so the plan page never holds a serialised copy of
/// the whole plan.
#[derive(Debug)]
struct NodeValue {
    shared: Arc<Shared>,
    path: Vec<usize>,
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
    Value::from_object(NodeValue {
        shared: Arc::clone(shared),
        path,
    })
}

impl Fields for NodeValue {
    fn keys(self: &Arc<Self>) -> Vec<&'static str> {
        node_at(&self.shared.site, &self.path)
            .map(fields::keys)
            .unwrap_or_default()
    }

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        match key {
            "children" => Some(seq(NodeList {
                node: Arc::clone(self),
                paragraphs: false,
            })),
            "paragraphs" => Some(seq(NodeList {
                node: Arc::clone(self),
                paragraphs: true,
            })),
            key => fields::field(node_at(&self.shared.site, &self.path)?, key),
        }
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

impl ParaValue {
    fn para(&self) -> Option<&crate::model::ParaView> {
        node_at(&self.node.shared.site, &self.node.path)?
            .paragraphs
            .get(self.index)
    }
}

impl Fields for ParaValue {
    fn keys(self: &Arc<Self>) -> Vec<&'static str> {
        self.para().map(fields::keys).unwrap_or_default()
    }

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        fields::field(self.para()?, key)
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
    fn keys(self: &Arc<Self>) -> Vec<&'static str> {
        self.shared
            .site
            .changelog
            .get(self.index)
            .map(fields::keys)
            .unwrap_or_default()
    }

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        match key {
            "entries" => Some(seq(Arc::clone(self))),
            key => fields::field(self.shared.site.changelog.get(self.index)?, key),
        }
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

impl ChangeValue {
    fn change(&self) -> Option<&crate::model::ChangeEntry> {
        self.log
            .shared
            .site
            .changelog
            .get(self.log.index)?
            .entries
            .get(self.index)
    }
}

impl Fields for ChangeValue {
    fn keys(self: &Arc<Self>) -> Vec<&'static str> {
        self.change().map(fields::keys).unwrap_or_default()
    }

    fn field(self: &Arc<Self>, key: &str) -> Option<Value> {
        fields::field(self.change()?, key)
    }
}

/// A value that templates read field by field: its keys, in the order of the
/// value's serialisation (what printing or iterating it shows), and each
/// field made when it is asked for. The view objects here take both from
/// the model struct's own `Serialize` (`fields`), so a field added to a
/// struct is seen by templates with no list to keep in step.
pub(super) trait Fields: std::fmt::Debug + Send + Sync + Sized + 'static {
    fn keys(self: &Arc<Self>) -> Vec<&'static str>;
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
                Enumerator::Values(self.keys().into_iter().map(Value::from).collect())
            }
        }
    )*};
}
pub(super) use object_of_fields;

object_of_fields!(
    SiteValue,
    AreaValue,
    NodeValue,
    ParaValue,
    LogValue,
    ChangeValue
);

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
