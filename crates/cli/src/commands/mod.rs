mod fix;
mod info;
mod render;
mod validate;

use std::io::{IsTerminal, Write};

use crate::args::{ColorChoice, Command};
use crate::output::Colors;
use crate::Cli;

pub fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Render(args) => render::run(args),
        Command::Explain { rule } => info::explain(&rule),
        Command::Rules { format } => info::rules(format),
        Command::Regions { format } => info::regions(format),
        Command::Schema => info::schema(),
        Command::Server => crate::server::run(),
        Command::Init { path, force } => info::init(&path, force),
    }
}

/// Colour only on a terminal, never when NO_COLOR is set, unless forced.
fn colors(choice: ColorChoice, stream_is_terminal: bool) -> Colors {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => Colors::On,
        ColorChoice::Never => Colors::Off,
        ColorChoice::Auto if stream_is_terminal && !no_color => Colors::On,
        ColorChoice::Auto => Colors::Off,
    }
}

fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Writes to stdout; a closed pipe (`multirun ... | head`) is not an error worth a panic.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

fn error(message: impl std::fmt::Display) {
    eprintln!("error: {message}");
}
