//! The command line: parses arguments, calls the library, prints diagnostics,
//! and picks the exit status (0 ok, 1 content or template error, 2 usage error).

use std::path::PathBuf;
use std::process::ExitCode;

use briefing::cmd;
use briefing::diagnostic::{Diagnostic, Failed};
use briefing::pipeline::{BuildOptions, Progress};
use clap::{Parser, Subcommand};

/// A build makes and drops millions of small strings and vectors across
/// threads (words, postings, template values); mimalloc serves that faster
/// than the system allocator, and returns memory to it more readily. It is
/// built without transparent huge pages (`no_thp` in Cargo.toml): where the
/// kernel grants them on request, half-used 2 MiB pages added about 50 MiB
/// to a 10k build's peak; going without costs about 3% more CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "briefing",
    version,
    about = "Cross-linked AI-industry briefings from Markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder
    Build {
        /// Site folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (relative to --root)
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// Override base_url from site.yaml
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts
        #[arg(long)]
        drafts: bool,
        /// Include articles dated in the future
        #[arg(long)]
        future: bool,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
        /// Keep CSS and JS file names as they are (no content hash in them)
        #[arg(long)]
        no_fingerprint: bool,
    },
    /// Build, serve on loopback with live reload, and rebuild what each save touches
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include drafts
        #[arg(long)]
        drafts: bool,
        /// Poll for changes (network mounts, some containers) instead of OS events
        #[arg(long)]
        poll: bool,
    },
    /// Publish the site to a folder, a git branch (git:BRANCH) or S3 (s3://bucket/prefix)
    Publish {
        /// Where to: a folder, git:BRANCH, or s3://bucket/prefix
        target: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Publish this already built folder instead of building
        #[arg(long)]
        from: Option<PathBuf>,
        /// Override base_url from site.yaml for the build
        #[arg(long)]
        base_url: Option<String>,
        /// Show the plan, change nothing
        #[arg(long)]
        dry_run: bool,
        /// Remove files the site no longer has
        #[arg(long)]
        delete: bool,
        /// git: push the branch to this remote
        #[arg(long)]
        remote: Option<String>,
        /// git: the commit message
        #[arg(long)]
        message: Option<String>,
        /// s3: endpoint of an S3-compatible service (MinIO, R2, …)
        #[arg(long)]
        endpoint: Option<String>,
        /// s3: region (else AWS_REGION, else us-east-1)
        #[arg(long)]
        region: Option<String>,
    },
    /// Check content, templates and every internal link without writing anything
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include drafts
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new article dated today
    New {
        /// The article's title
        title: String,
        /// Company ids, comma-separated
        #[arg(long, value_delimiter = ',')]
        companies: Vec<String>,
        /// Topic ids, comma-separated
        #[arg(long, value_delimiter = ',')]
        topics: Vec<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write one week's edition as email: edition.html, edition.txt and edition.eml
    Newsletter {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The ISO week, like 2024-W31 (default: the newest week that has ended and has articles)
        #[arg(long, value_name = "YYYY-Www", value_parser = briefing::newsletter::parse_week)]
        week: Option<briefing::newsletter::Week>,
        /// Output folder (relative to --root)
        #[arg(long, default_value = briefing::newsletter::DEFAULT_OUTPUT)]
        output: PathBuf,
    },
    /// Create a new site that builds at once
    Init {
        /// Folder to create
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed(problems)) => {
            print_all(&problems);
            let errors = problems.iter().filter(|d| d.is_error()).count();
            eprintln!("failed: {errors} error(s)");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), Failed> {
    match command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
            strict,
            no_fingerprint,
        } => {
            let options = BuildOptions {
                output,
                base_url,
                drafts,
                future,
                strict,
                fingerprint: !no_fingerprint,
                ..BuildOptions::new(root)
            };
            let progress = Bar::new("rendering");
            let report = cmd::build::run(&options, &progress);
            progress.finish();
            let report = report?;
            print_all(&report.warnings);
            println!("{}", cmd::build::summary(&report, &options));
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            poll,
        } => {
            cmd::serve::run(
                briefing::serve::ServeOptions {
                    root,
                    bind,
                    port,
                    drafts,
                    poll,
                },
                &show,
            )?;
        }
        Command::Publish {
            target,
            root,
            from,
            base_url,
            dry_run,
            delete,
            remote,
            message,
            endpoint,
            region,
        } => {
            let parsed = briefing::publish::Target::parse(&target)
                .map_err(|message| Failed(vec![Diagnostic::setting("publish", message)]))?;
            let options = briefing::publish::PublishOptions {
                root,
                target: parsed,
                from,
                base_url,
                dry_run,
                delete,
                remote,
                message,
                endpoint,
                region,
            };
            let progress = Bar::new("rendering");
            let published = cmd::publish::run(&options, &progress);
            progress.finish();
            let published = published?;
            for line in cmd::publish::lines(&published, &options, &target) {
                println!("{line}");
            }
        }
        Command::Check { root, drafts } => {
            let options = BuildOptions {
                drafts,
                ..BuildOptions::new(root)
            };
            let progress = Bar::new("checking");
            let report = cmd::check::run(&options, &progress);
            progress.finish();
            let report = report?;
            println!("{}", cmd::check::summary(&report));
        }
        Command::New {
            title,
            companies,
            topics,
            root,
        } => {
            let new = cmd::new::NewArticle {
                root: &root,
                title: &title,
                companies,
                topics,
            };
            let (path, warnings) = cmd::new::run(&new)?;
            print_all(&warnings);
            println!("wrote {}", path.display());
        }
        Command::Newsletter { root, week, output } => {
            let options = briefing::newsletter::NewsletterOptions { root, week, output };
            let written = cmd::newsletter::run(&options)?;
            print_all(&written.warnings);
            for line in cmd::newsletter::summary(&written) {
                println!("{line}");
            }
        }
        Command::Init { dir } => {
            cmd::init::run(&dir)?;
            println!("created {0}: cd {0} && briefing build", dir.display());
        }
    }
    Ok(())
}

/// A progress line on the terminal for work that takes over a second
/// (rendering, then uploading); nothing when standard error is not a
/// terminal.
struct Bar {
    what: &'static str,
    phase: std::sync::Mutex<Option<Phase>>,
}

struct Phase {
    what: &'static str,
    started: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Bar {
    fn new(what: &'static str) -> Bar {
        Bar {
            what,
            phase: std::sync::Mutex::new(None),
        }
    }

    fn show(&self, what: &'static str, done: usize, total: usize) {
        use std::io::IsTerminal;
        let Ok(mut phase) = self.phase.lock() else {
            return;
        };
        if phase.as_ref().is_none_or(|p| p.what != what) {
            if let Some(bar) = phase.take().and_then(|p| p.bar) {
                bar.finish_and_clear();
            }
            *phase = Some(Phase {
                what,
                started: std::time::Instant::now(),
                bar: None,
            });
        }
        let Some(phase) = phase.as_mut() else {
            return;
        };
        if phase.bar.is_none()
            && phase.started.elapsed().as_secs() >= 1
            && std::io::stderr().is_terminal()
        {
            let bar = indicatif::ProgressBar::new(total as u64);
            let template = format!("{what} {{bar:30}} {{pos}}/{{len}} {{msg}}, {{eta}} left");
            if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            bar.set_message(if what == "uploading" {
                "files"
            } else {
                "pages"
            });
            phase.bar = Some(bar);
        }
        if let Some(bar) = &phase.bar {
            bar.set_position(done as u64);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.phase.lock().ok().and_then(|mut p| p.take()?.bar) {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn pages(&self, done: usize, total: usize) {
        self.show(self.what, done, total);
    }

    fn uploads(&self, done: usize, total: usize) {
        self.show("uploading", done, total);
    }
}

/// Prints `serve`'s console lines.
fn show(lines: &[cmd::serve::Line]) {
    for line in lines {
        match line {
            cmd::serve::Line::Out(text) => println!("{text}"),
            cmd::serve::Line::Err(text) => eprintln!("{text}"),
        }
    }
}

fn print_all(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
}
