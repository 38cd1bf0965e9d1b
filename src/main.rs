use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use plansite::{commands, memory};

// glibc's malloc spent a tenth of a 10,000-page build in free/consolidate under
// two rendering threads; mimalloc's per-thread heaps avoid that (docs/PERFORMANCE.md).
#[global_allocator]
static GLOBAL: allocator::Budgeted = allocator::Budgeted;

/// mimalloc, with the memory budget of pages rendered by a site's own
/// templates (`plansite::memory`). The only unsafe code in plansite: the
/// `GlobalAlloc` trait can only be implemented unsafely.
#[allow(unsafe_code)]
mod allocator {
    use std::alloc::{GlobalAlloc, Layout};

    use plansite::memory;

    pub struct Budgeted;

    // SAFETY: every method passes its arguments to mimalloc unchanged and
    // returns what it returns; the bookkeeping before it only updates
    // thread-local counters (and may end the process), never the memory.
    unsafe impl GlobalAlloc for Budgeted {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            memory::on_alloc(layout.size());
            // SAFETY: the caller's contract for `alloc` is passed on unchanged.
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            memory::on_alloc(layout.size());
            // SAFETY: as for `alloc`.
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            memory::on_dealloc(layout.size());
            // SAFETY: `ptr` was allocated by this allocator, that is by mimalloc, with `layout`.
            unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            memory::on_realloc(layout.size(), new_size);
            // SAFETY: as for `dealloc`, with the caller's `new_size` contract passed on.
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

/// plansite: bilingual static sites that track a development plan.
#[derive(Parser)]
#[command(name = "plansite", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the parsed plan (outline, or JSON with --json)
    Plan {
        /// Any plan: text, a saved web page (.html) or a Word file (.docx); default: the site's seed
        file: Option<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The parsed plan as JSON
        #[arg(long, conflicts_with_all = ["text", "explain"])]
        json: bool,
        /// What the parser had to guess or repair, with line numbers, to check its work
        #[arg(long, conflicts_with = "text")]
        explain: bool,
        /// The plan text as read from the file (a web page's article, a Word
        /// file's paragraphs and tables), with line numbers: what messages cite
        #[arg(long)]
        text: bool,
    },
    /// Build the site into public/ (or --out)
    Build(commands::build::BuildArgs),
    /// Serve the site from memory on 127.0.0.1, rebuilding on change with live reload
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; other machines can reach the site only if it is not a loopback address
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
    },
    /// Write one frozen, portable snapshot per reporting year into archive/
    Archive(commands::archive::ArchiveArgs),
    /// Write a one-file review packet for a year
    Packet(commands::packet::PacketArgs),
    /// Create things: `new year YEAR`
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
    /// Create a new site for another plan text
    Init {
        dir: PathBuf,
        #[arg(long)]
        seed: PathBuf,
    },
    /// Validate config, plan, registries and progress files; report every problem
    Check(commands::check::CheckArgs),
    /// The English edition to and from translators' tools (XLIFF 2.0)
    Translate {
        #[command(subcommand)]
        command: commands::translate::TranslateCommand,
    },
}

#[derive(Subcommand)]
enum NewWhat {
    /// A progress file listing every indicator and area
    Year {
        year: i32,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// A site's own template spent its memory budget (`memory`): say so and
/// stop; this runs inside the allocator, so it writes without allocating.
fn over_budget(template: &'static str) -> ! {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "error[render]: the template {template} used more than {} MB of memory for one page (or the pages rendering at once more than {} MB together); plansite stopped, and the previous output is unchanged\n  = help: look for a loop or a macro in templates/ or themes/ that builds ever longer strings",
        memory::PAGE_BUDGET / (1024 * 1024),
        memory::PROCESS_BUDGET / (1024 * 1024)
    );
    std::process::exit(1)
}

fn main() -> ExitCode {
    memory::on_over_budget(over_budget);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match cli.command {
        Command::Plan {
            file,
            root,
            json,
            text,
            explain,
        } => commands::plan::run(file.as_deref(), &root, json, text, explain),
        Command::Build(args) => commands::build::run(args),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => commands::serve::run(&root, bind, port, open),
        Command::Archive(args) => commands::archive::run(args),
        Command::Packet(args) => commands::packet::run(args),
        Command::New {
            what: NewWhat::Year { year, root },
        } => commands::new_year::run(&root, year),
        Command::Init { dir, seed } => commands::init::run(&dir, &seed),
        Command::Translate { command } => commands::translate::run(command),
        Command::Check(args) => commands::check::run(args),
    };
    ExitCode::from(code as u8)
}
