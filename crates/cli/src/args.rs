//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "multirun", version, about = "Check a multi-region Cloud Run spec and generate everything needed to run it", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check specs and report diagnostics.
    Validate(ValidateArgs),
    /// Generate the deploy and teardown scripts, Terraform, cloudbuild.yaml, dashboard and diagram.
    Render(RenderArgs),
    /// Print a rule's documentation (by code, e.g. MR103, or name), or a spec field's (a
    /// dotted path, e.g. rollout.canary).
    Explain { rule: String },
    /// List every rule with its code, severity and summary.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print the built-in catalog of Cloud Run regions.
    Regions {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print the spec's JSON Schema.
    Schema,
    /// Run the language server (Language Server Protocol over stdio) for editors.
    Server,
    /// Write a starter spec.
    Init {
        /// Where to write it.
        #[arg(default_value = "multirun.yaml")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source snippets with carets, like rustc.
    Human,
    /// One line per diagnostic: `file:line:col: severity[CODE] message`.
    Concise,
    /// The stable JSON contract (see README).
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitLab code quality report (CodeClimate JSON), for `artifacts:reports:codequality`.
    Gitlab,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Spec files; `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<String>,
    /// The name to report for standard input.
    #[arg(long, default_value = "<stdin>")]
    pub stdin_filename: String,
    #[arg(long, value_enum, default_value_t = Format::Human, env = "MULTIRUN_FORMAT")]
    pub format: Format,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Apply every machine-applicable suggestion in place (atomically; never to a file that
    /// does not parse), print what changed, then report what remains.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the changes --fix would make, as a unified diff, without writing; exits 1 when
    /// there are any.
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The specs to render. Several specs need an --out with `{dir}` or `{name}` in it, so
    /// that each spec renders to its own directory.
    pub specs: Vec<String>,
    /// Output directory. `{dir}` stands for the spec's directory and `{name}` for its file
    /// name less `.yaml`/`.yml` and a `.multirun` suffix: `--out '{dir}/generated/{name}'`
    /// renders `deploy/api.multirun.yaml` to `deploy/generated/api/`. A render also writes
    /// `.multirun-files` there, the list of what it generated, and deletes the files the previous
    /// list has that it no longer generates (never a file the list doesn't name).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Only these targets (comma-separated): deploy, terraform, cloudbuild, clouddeploy, dashboard, monitoring, rollout, diagram.
    #[arg(long, value_delimiter = ',')]
    pub target: Vec<String>,
    /// Write nothing; exit 1 with a unified diff if files in --out differ from what would be
    /// generated, are missing, or are no longer generated (listed in --out's `.multirun-files`).
    #[arg(long)]
    pub check: bool,
    /// Like --check, and also rewrite the stale files and delete those no longer generated; still
    /// exits 1 when any were stale, so a pre-commit hook stops the commit until they are added.
    #[arg(long)]
    pub fix: bool,
    /// Directory of template overrides, named as the embedded templates (see --list-templates).
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// List the embedded templates and the files they produce, then exit.
    #[arg(long)]
    pub list_templates: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}
