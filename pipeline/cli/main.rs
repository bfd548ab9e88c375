//! `scrim`: the command-line front end.

mod bench;
mod camera;
mod camerabench;
mod chart;
mod doctor;
mod keys;
mod live;
mod livebench;
mod redact;
mod signals;
mod video;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use scrim::models::{self, ModelDir};
use scrim::redact::{BackendChoice, Redactor};

/// The redactor the user asked for, telling them when a GPU they asked for (or one that is there)
/// could not be used. `auto` settling on the CPU is expected and silent; `scrim doctor` says why.
pub fn redactor(choice: BackendChoice) -> Box<dyn Redactor> {
    let (r, note) = scrim::redact::select(choice);
    if let Some(n) = note.filter(|n| n.warning) {
        eprintln!("scrim: {n}");
    }
    r
}

/// The policy at `path` (the defaults without one), its warnings told on stderr.
pub fn load_policy(path: Option<&std::path::Path>) -> scrim::error::Result<scrim::policy::Policy> {
    let Some(path) = path else {
        return Ok(scrim::policy::Policy::default());
    };
    let policy = scrim::policy::Policy::load(path)?;
    for w in &policy.warnings {
        eprintln!("scrim: {}: {w}", path.display());
    }
    Ok(policy)
}

/// Mesa's Vulkan device-select layer connects to a Wayland display to order the devices, and
/// libwayland prints `error: XDG_RUNTIME_DIR is invalid or not set in the environment.` wherever
/// that variable is unset (ssh, CI, containers): twice per adapter probe, on a run that is fine.
/// scrim orders adapters itself (`redact::backend`), so the layer is switched off there. Set
/// before any thread exists, so nothing else reads the environment meanwhile.
fn quiet_vulkan_device_select() {
    let runtime_dir_ok = std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| std::path::Path::new(&d).is_dir());
    if !runtime_dir_ok && std::env::var_os("NODEVICE_SELECT").is_none() {
        std::env::set_var("NODEVICE_SELECT", "1");
    }
}

#[derive(Parser)]
#[command(
    name = "scrim",
    version,
    about = "Redact secrets, intranet URLs, personal data and address bars from screenshots, recordings and live screen shares; blur backgrounds and anonymise faces on camera",
    long_about = "scrim reads screenshots, recordings and live screens with OCR (PP-OCRv6 through ONNX Runtime), finds what must not be \
seen (browser address bars, intranet URLs and host names, e-mail addresses, IPs, API keys, tokens and \
passwords, phone numbers, SSNs, card numbers, IBANs, labelled names) and covers it irreversibly. \
On camera footage (--faces, --background, --whiteboards) it anonymises faces, blurs or replaces the \
background and covers whiteboards.\n\n\
Nothing leaves this machine: scrim makes no network connections, and its reports name categories and \
boxes, never the text it redacted.\n\n\
Models: `make install` puts ONNX Runtime and the models beside scrim (from the source tree, \
`models/fetch.sh` fetches them); `scrim doctor` says what it finds and what is missing."
)]
struct Cli {
    /// Directory holding ONNX Runtime and the models [default: $SCRIM_MODEL_DIR, else PREFIX/share/scrim/models beside an installed scrim, else ~/.cache/scrim/models]
    #[arg(long, global = true, value_name = "DIR")]
    models: Option<PathBuf>,
    /// Inference threads [default: all cores]
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    /// Where redaction runs: auto = a hardware GPU if present, else the CPU
    #[arg(long, global = true, value_enum, default_value_t = BackendChoice::Auto)]
    backend: BackendChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Redact screenshots (PNG, JPEG, WebP) or a recording (anything ffmpeg reads).
    ///
    /// Images: one file to one file, or many into a directory. Videos: every frame's changed
    /// parts are analysed before it is written; audio and subtitles are copied untouched.
    #[command(
        after_help = "Examples:\n  scrim redact shot.png -o shot.redacted.png --preview check.png\n  \
scrim redact shots/*.png -o redacted/ --report report.json\n  scrim redact shot.png -o out.png --policy policy.toml\n  \
scrim redact demo.mp4 -o demo.redacted.mp4 --report demo.html --report demo.json\n  \
scrim redact webcam.mp4 -o webcam.safe.mp4 --faces mosaic --background blur --whiteboards"
    )]
    Redact(redact::Args),
    /// Show what is installed and what is missing (ONNX Runtime, the models, GPU, ffmpeg,
    /// PipeWire, the screen-capture path, the hotkey), with the command for each missing piece.
    Doctor {
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Redact live: capture the screen (or a camera, a recording, stdin) and emit only analysed frames.
    ///
    /// Every frame passes the gate: a part that changed since it was last analysed is held until
    /// its analysis finishes (hold) or covered (cover); it is never shown raw.
    #[command(after_help = "Examples:\n  scrim live --source screen --sink file:share.mp4\n  \
scrim live --source region:0,0,1280,720 --sink window\n  \
scrim live --source camera --sink pipewire:scrim --faces mosaic --background blur\n  \
scrim live --source region:0,0,1280,720 --sink stdout | ffplay -\n  \
ffmpeg -i talk.mp4 -f yuv4mpegpipe - | scrim live --source stdin --mode cover --sink stdout | ffplay -")]
    Live(live::Args),
    /// Measure per-stage latency (p50/p95/p99) of the still-image pipeline on real frames.
    Bench(bench::Args),
    /// Send a command to a running `scrim live --control PATH` and print its answer.
    ///
    /// Bind it to a desktop shortcut, e.g. `scrim control ~/.scrim.sock toggle-blank`.
    Control {
        /// The socket given to `scrim live --control`
        socket: PathBuf,
        /// pause | blank | resume | toggle-blank | toggle-pause | status | quit
        command: String,
    },
}

fn main() -> ExitCode {
    quiet_vulkan_device_select();
    let cli = Cli::parse();
    let models = ModelDir::new(cli.models.clone().unwrap_or_else(models::default_model_dir));
    let threads = cli.threads.unwrap_or_else(models::default_threads);
    let result = match cli.command {
        Command::Redact(args) => redact::run(args, &models, threads, cli.backend),
        Command::Doctor { json } => doctor(&models, json, cli.backend),
        Command::Live(args) => live::run(args, &models, threads, cli.backend),
        Command::Bench(args) => bench::run(args, &models, threads, cli.backend),
        Command::Control { socket, command } => control(&socket, &command),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("scrim: error: {e}");
            ExitCode::from(match e.kind() {
                scrim::ErrorKind::Usage => 2,
                scrim::ErrorKind::ModelMissing => 3,
                scrim::ErrorKind::Interrupted => 130,
                _ => 1,
            })
        }
    }
}

fn control(socket: &std::path::Path, command: &str) -> scrim::Result<ExitCode> {
    let reply = scrim::live::control::send(socket, command)?;
    println!("{reply}");
    Ok(if reply.starts_with("error") {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn doctor(models: &ModelDir, json: bool, backend: BackendChoice) -> scrim::Result<ExitCode> {
    let inv = models::inventory(models);
    let adapters = scrim::redact::adapters();
    let (chosen, note) = scrim::redact::select(backend);
    let capture = scrim::live::session::CaptureReport::probe();
    let ok = inv
        .components
        .iter()
        .all(|c| c.present && !c.detail.starts_with("not loadable"));
    // a file that is there but not the pinned one is replaced by the same command
    let fetch = !ok || inv.components.iter().any(|c| !c.verified);
    let checks = doctor::checks();
    let mut next = doctor::next_steps(fetch.then(|| doctor::fetch_command(&inv.model_dir)), &checks);
    if let Some(packages) = capture.missing_packages() {
        next.push(format!(
            "{}   # live --source screen on Wayland",
            doctor::apt(&packages)
        ));
    }
    if json {
        let v = serde_json::json!({
            "model_dir": inv.model_dir, "components": inv.components, "adapters": adapters,
            "redaction_backend": chosen.backend(), "backend_note": note.as_ref().map(|n| &n.text),
            "live": checks, "capture": capture, "next": next,
        });
        println!("{}", serde_json::to_string_pretty(&v).expect("inventory serialises"));
    } else {
        println!("model directory: {}", inv.model_dir.display());
        for c in &inv.components {
            let mark = match (c.present, c.verified) {
                (true, true) => "ok",
                (true, false) => "??",
                _ => "!!",
            };
            println!("  [{mark}] {:<26} {}", c.name, c.detail);
        }
        if adapters.is_empty() {
            println!("GPU adapters: none");
        }
        for a in &adapters {
            println!(
                "  GPU adapter: {} [{}, {}] {}",
                a.name, a.backend, a.device_type, a.driver
            );
        }
        println!("redaction backend: {} (--backend {:?})", chosen.backend(), backend);
        if let Some(n) = note {
            println!("  {n}");
        }
        for line in capture.lines() {
            println!("{line}");
        }
        doctor::print(&checks, &next);
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(3) })
}
