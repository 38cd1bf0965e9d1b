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
