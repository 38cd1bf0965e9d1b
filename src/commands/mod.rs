//! One module per CLI command; each returns the process exit code.

pub mod archive;
pub mod build;
pub mod check;
pub mod init;
pub mod new_year;
pub mod packet;
pub mod plan;
pub mod serve;
pub mod translate;

/// Exit codes (README.md, "Commands"): 0 success, 1 content errors, 2 usage or I/O errors.
pub const EXIT_OK: i32 = 0;
pub const EXIT_CONTENT: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// The exit code of writing to standard output: a reader that stopped
/// reading (`plansite plan | head`) is no error.
pub fn stdout_status(written: std::io::Result<()>) -> i32 {
    match written {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error[output]: standard output: {e}");
            EXIT_USAGE
        }
    }
}

/// Writes `bytes` to standard output; its exit code.
pub fn print_bytes(bytes: &[u8]) -> i32 {
    use std::io::Write as _;
    stdout_status(std::io::stdout().lock().write_all(bytes))
}
