//! The `multirun` command line: a thin shell over `multirun-core` that reads files, prints
//! diagnostics in the chosen format and writes generated files atomically.

mod args;
mod commands;
mod fs;
mod manifest;
mod output;
mod server;

use clap::Parser;

pub use args::Cli;

/// Exit codes: 0 clean, 1 findings (or stale files under `render --check`), 2 the tool could
/// not do its job (bad usage, unreadable file, internal error).
pub mod exit {
    pub const CLEAN: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const FAILURE: i32 = 2;
}

pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    // Panics inside a file's check are caught and reported as MR011 diagnostics; keep the
    // default hook's backtrace noise off the user's terminal.
    std::panic::set_hook(Box::new(|info| eprintln!("internal error: {info}")));
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                exit::FAILURE
            } else {
                exit::CLEAN
            };
        }
    };
    commands::dispatch(cli)
}
