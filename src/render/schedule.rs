//! Scheduling a render: pages, files and search indexes as units of work
//! on rayon's threads, biggest first; each thread renders into one buffer
//! it keeps for a run of pages, and the biggest pages stream to the sink as
//! they render. A site's own templates are bounded in output and memory.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use minijinja::{Environment, Value};
use rayon::prelude::*;

use super::{Options, RenderError, Sink, search};
use crate::i18n::LANGS;
use crate::model::Site;

pub(super) struct Job<'a> {
    pub path: String,
    pub template: &'static str,
    pub ctx: Context<'a>,
}

/// A page's template context. The thousands of area and indicator pages make
/// theirs on the rendering thread, so that building them is parallel too.
pub(super) enum Context<'a> {
    Ready(Value),
    Deferred(Box<dyn Fn() -> Value + Send + Sync + 'a>),
}

impl From<Value> for Context<'_> {
    fn from(value: Value) -> Self {
        Context::Ready(value)
    }
}

/// Renders every job, file and search index into `sink`; returns the size
/// of each language's search index.
pub(super) fn run(
    env: &Environment<'static>,
    mut jobs: Vec<Job>,
    files: Vec<(String, FileMaker)>,
    site: &Site,
    options: &Options,
    sink: &dyn Sink,
    bounded: bool,
) -> Result<BTreeMap<String, usize>, RenderError> {
    // Pages holding the whole plan or every indicator take longest.
    jobs.sort_by_key(|j| !is_big(j.template));
    let mut work: Vec<Work> = LANGS.iter().map(|lang| Work::Search(lang)).collect();
    work.extend(files.into_iter().map(|(path, make)| Work::File(path, make)));
    work.extend(jobs.into_iter().map(Work::Page));
    let search_index_bytes = Mutex::new(BTreeMap::new());
    // Each thread renders into one buffer that it keeps for a run of pages:
    // pages are written out from it, so no page is allocated (or regrown) on
    // its own. The big files (megabytes each at 10,000 pages) are written as
    // they are made instead. Runs are short (`with_max_len`): rayon cannot
    // split a run once a thread has started it, and with long runs one thread
    // was left rendering alone for the last ~0.15 s of a 10,000-page build.
    work.par_iter().with_max_len(WORK_RUN).try_for_each_init(
        || Vec::with_capacity(PAGE_BUFFER),
        |buf: &mut Vec<u8>, w| match w {
            Work::Page(job) if is_big(job.template) && options.inject.is_none() => {
                stream_page(env, job, sink, bounded)
            }
            Work::Page(job) => {
                buf.clear();
                render_job(env, job, &mut *buf, bounded)?;
                inject(options, buf);
                sink.put(&job.path, buf).map_err(RenderError)?;
                // After a big page start again small, rather than hold it to the end.
                if buf.capacity() > BIG_BUFFER {
                    *buf = Vec::with_capacity(PAGE_BUFFER);
                }
                Ok(())
            }
            Work::File(path, make) => sink
                .put_with(path, &mut |out| make(out))
                .map(drop)
                .map_err(RenderError),
            Work::Search(lang) => {
                let bytes = search::write(site, lang, &mut |name, bytes| {
                    sink.put(&format!("search/{lang}/{name}"), bytes)
                        .map_err(std::io::Error::other)
                })
                .map_err(|e| RenderError(format!("search/{lang}/: {e}")))?;
                if let Ok(mut sizes) = search_index_bytes.lock() {
                    sizes.insert((*lang).to_string(), bytes);
                }
                Ok(())
            }
        },
    )?;
    Ok(search_index_bytes
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner))
}

/// Pages that hold the whole plan or every indicator: they take longest, and
/// they are written out as they are rendered.
fn is_big(template: &str) -> bool {
    matches!(
        template,
        "plan.html" | "changelog.html" | "dashboard.html" | "indicators.html" | "areas.html"
    )
}

/// Work items a thread takes at a time (and keeps one buffer for).
const WORK_RUN: usize = 8;
/// A rendering thread's output buffer: most pages fit in it.
const PAGE_BUFFER: usize = 64 * 1024;
/// A buffer grown past this by one big file is not kept for the next.
const BIG_BUFFER: usize = 1024 * 1024;

pub(super) type FileMaker<'a> =
    Box<dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync + 'a>;

/// One unit of rendering work.
enum Work<'a> {
    Page(Job<'a>),
    File(String, FileMaker<'a>),
    Search(&'static str),
}

pub(super) fn render_job(
    env: &Environment<'static>,
    job: &Job,
    out: impl std::io::Write,
    bounded: bool,
) -> Result<(), RenderError> {
    let template = env
        .get_template(job.template)
        .map_err(|e| RenderError(format!("{}: {e}", job.template)))?;
    let ctx = match &job.ctx {
        Context::Ready(ctx) => ctx.clone(),
        Context::Deferred(make) => make(),
    };
    let failed = |e: minijinja::Error| {
        RenderError(format!(
            "rendering {} with {}: {e:#}",
            job.path, job.template
        ))
    };
    if !bounded {
        return template
            .render_captured_to(&ctx, out)
            .map(drop)
            .map_err(failed);
    }
    render_bounded(
        job.template,
        &job.path,
        |out| template.render_captured_to(&ctx, out).map(drop),
        out,
    )
}

/// The most one page rendered with a site's own templates may write.
pub const PAGE_OUTPUT_LIMIT: usize = 64 * 1024 * 1024;

/// Renders with a site's own template under the page limits: at most
/// [`PAGE_OUTPUT_LIMIT`] bytes of output and `memory::PAGE_BUDGET` of memory.
pub fn render_bounded(
    template: &'static str,
    path: &str,
    render: impl FnOnce(&mut dyn std::io::Write) -> Result<(), minijinja::Error>,
    out: impl std::io::Write,
) -> Result<(), RenderError> {
    let mut limited = Limited {
        inner: out,
        left: PAGE_OUTPUT_LIMIT,
        exceeded: false,
    };
    crate::memory::arm(template, crate::memory::PAGE_BUDGET);
    let result = render(&mut limited);
    crate::memory::disarm();
    if limited.exceeded {
        return Err(RenderError(format!(
            "rendering {path} with {template}: the page grew past {} MB, the most one page may have; look for a runaway loop in the template",
            PAGE_OUTPUT_LIMIT / (1024 * 1024)
        )));
    }
    result.map_err(|e| RenderError(format!("rendering {path} with {template}: {e:#}")))
}

/// A writer that takes at most `left` more bytes.
struct Limited<W> {
    inner: W,
    left: usize,
    exceeded: bool,
}

impl<W: std::io::Write> std::io::Write for Limited<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.left {
            self.exceeded = true;
            return Err(std::io::Error::other("the page is too large"));
        }
        let n = self.inner.write(buf)?;
        self.left -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Renders a page straight into its file. A template error is reported as
/// such, not as the write error the sink sees.
fn stream_page(
    env: &Environment<'static>,
    job: &Job,
    sink: &dyn Sink,
    bounded: bool,
) -> Result<(), RenderError> {
    let mut failure = None;
    sink.put_with(&job.path, &mut |out| {
        render_job(env, job, out, bounded).map_err(|e| {
            let message = e.0.clone();
            failure = Some(e);
            std::io::Error::other(message)
        })
    })
    .map(drop)
    .map_err(|e| failure.take().unwrap_or(RenderError(e)))
}

/// Puts `serve`'s live-reload script before `</body>`.
fn inject(options: &Options, page: &mut Vec<u8>) {
    if let Some(inject) = &options.inject
        && let Some(at) = page.windows(7).rposition(|w| w == b"</body>")
    {
        page.splice(at..at, inject.bytes());
    }
}
