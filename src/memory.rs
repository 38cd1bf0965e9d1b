//! A memory budget for pages rendered with a site's own templates. minijinja
//! bounds a template's steps (fuel) but not the size of the strings it builds
//! (`{% set b = a ~ a %}` doubles in one step), so the allocator counts what
//! the rendering thread allocates while such a page renders; past the budget
//! plansite stops with an error naming the template, before the memory runs
//! out. Nothing is counted for the embedded templates, whose work is linear
//! in the content. The output folder is untouched: the render was staging.

use std::cell::Cell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// Bytes a rendering thread may hold at once while one page renders with a site's own templates.
pub const PAGE_BUDGET: usize = 256 * 1024 * 1024;

/// Bytes all rendering threads together may hold for such pages: a machine
/// with many cores renders many pages at once, and the bound is the
/// process's, not each thread's.
pub const PROCESS_BUDGET: isize = 512 * 1024 * 1024;

/// Net bytes held by all threads' bounded pages (the sum of their `USED`).
static ALL_USED: AtomicIsize = AtomicIsize::new(0);

/// Whether any thread may have a budget (a relaxed load otherwise, nothing more).
static ANY_ARMED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// This thread's budget while it renders a bounded page; 0 when none.
    static LIMIT: Cell<usize> = const { Cell::new(0) };
    /// Net bytes allocated by this thread since the budget was set.
    static USED: Cell<isize> = const { Cell::new(0) };
    /// The template being rendered, for the message.
    static TEMPLATE: Cell<&'static str> = const { Cell::new("") };
}

/// Starts counting this thread's allocations against `limit` bytes.
pub fn arm(template: &'static str, limit: usize) {
    ANY_ARMED.store(true, Ordering::Relaxed);
    let _ = TEMPLATE.try_with(|t| t.set(template));
    let _ = USED.try_with(|u| u.set(0));
    let _ = LIMIT.try_with(|l| l.set(limit));
}

/// Stops counting this thread's allocations; what its page still holds
/// leaves the process's count (it is no longer watched).
pub fn disarm() {
    let _ = LIMIT.try_with(|l| l.set(0));
    if let Ok(used) = USED.try_with(|u| u.replace(0)) {
        ALL_USED.fetch_sub(used, Ordering::Relaxed);
    }
}

/// Counts `delta` bytes against this thread's budget; false when it is spent.
fn charge(delta: isize) -> bool {
    LIMIT
        .try_with(|limit| {
            let limit = limit.get();
            if limit == 0 {
                return true;
            }
            USED.try_with(|used| {
                let now = used.get().saturating_add(delta);
                used.set(now);
                let all = ALL_USED.fetch_add(delta, Ordering::Relaxed) + delta;
                now <= limit as isize && (delta <= 0 || all <= PROCESS_BUDGET)
            })
            .unwrap_or(true)
        })
        .unwrap_or(true)
}

/// What the process does when a budget is spent, given the template being
/// rendered. The CLI sets it (`main.rs`: say so and exit); unwinding from
/// inside the allocator is not possible, so without it the process aborts.
/// The staging folder either leaves is removed by the next run (`output`).
static OVER_BUDGET: OnceLock<fn(&'static str) -> !> = OnceLock::new();

/// Sets what happens when a budget is spent (once; later calls are ignored).
pub fn on_over_budget(handler: fn(template: &'static str) -> !) {
    let _ = OVER_BUDGET.set(handler);
}

fn over_budget() -> ! {
    disarm();
    let template = TEMPLATE.try_with(Cell::get).unwrap_or("");
    match OVER_BUDGET.get() {
        Some(handler) => handler(template),
        None => std::process::abort(),
    }
}

/// Counts an allocation of `size` bytes; the binary's global allocator
/// calls it before allocating (`src/main.rs`).
#[inline]
pub fn on_alloc(size: usize) {
    if ANY_ARMED.load(Ordering::Relaxed) && !charge(size as isize) {
        over_budget();
    }
}

/// Counts a release of `size` bytes.
#[inline]
pub fn on_dealloc(size: usize) {
    if ANY_ARMED.load(Ordering::Relaxed) {
        let _ = charge(-(size as isize));
    }
}

/// Counts a reallocation from `old_size` to `new_size` bytes.
#[inline]
pub fn on_realloc(old_size: usize, new_size: usize) {
    if ANY_ARMED.load(Ordering::Relaxed) && !charge(new_size as isize - old_size as isize) {
        over_budget();
    }
}

/// The process's peak resident set so far, in KiB (Linux's `VmHWM`; None elsewhere).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_counts_only_the_armed_thread() {
        arm("t.html", 100);
        assert!(charge(60));
        assert!(charge(-30));
        assert!(charge(70));
        assert!(!charge(1));
        disarm();
        assert!(charge(1 << 40), "disarmed: nothing is counted");
        std::thread::spawn(|| assert!(charge(1 << 40), "another thread"))
            .join()
            .expect("thread");
    }
}
