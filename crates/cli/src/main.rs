fn main() {
    std::process::exit(multirun_cli::run(std::env::args_os()));
}
