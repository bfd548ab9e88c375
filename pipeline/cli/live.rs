//! `scrim live`: capture → gate → sink, with a one-line status on stderr.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use scrim::analyze::Analyzer;
use scrim::camera::{CameraFilter, CameraGate};
use scrim::error::{Error, ErrorKind, Result};
use scrim::gate::{FrameGate, Gate, GateConfig, Mode};
use scrim::live::control::{ControlSocket, Controls};
use scrim::live::{self, hotkey, LiveConfig};
use scrim::models::ModelDir;
use scrim::policy::Policy;
use scrim::redact::BackendChoice;

#[derive(clap::Args)]
pub struct Args {
    /// What to capture: screen[:N] (a monitor) | region:X,Y,W,H | window:TITLE (part of its
    /// title, or its application) — X11, through xcap; on Wayland screen and region go through
    /// the portal | portal[:monitor|window] (the xdg-desktop-portal ScreenCast dialog, once:
    /// the choice is remembered) | x11grab[:X,Y,W,H] (ffmpeg, MIT-SHM) | camera[:N]
    /// (/dev/videoN, nokhwa) | file:PATH (a recording, or an image looped) | stdin (YUV4MPEG2
    /// 4:2:0)
    #[arg(long, default_value = "screen")]
    source: String,
    /// Where redacted frames go: stdout (Y4M) | file:PATH (.mp4/.mkv/.mov/.webm) |
    /// pipewire[:NAME] | v4l2:/dev/videoN | window[:TITLE] (an X11 window to share)
    #[arg(long, default_value = "stdout")]
    sink: String,
    /// Capture rate, frames per second
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=120))]
    fps: u32,
    /// hold: a frame with unanalysed changes waits for its analysis up to --max-latency, then is
    /// released with those parts covered; cover: released at once with them covered
    #[arg(long, value_enum, default_value_t = Mode::Hold)]
    mode: Mode,
    /// Longest a frame is held for analysis (hold mode), in milliseconds
    #[arg(long, default_value_t = 100, value_name = "MS")]
    max_latency: u64,
    /// Policy file (TOML); see assets/policy.example.toml
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Write per-frame timings (capture, release, latency, covered boxes) as JSON lines
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
    /// Stop after this many frames (default: until the source ends or Ctrl-C)
    #[arg(long, value_name = "N")]
    frames: Option<u64>,
    /// With --source file: a recording plays again from its start each time it ends, until
    /// Ctrl-C or --frames (an image is looped anyway)
    #[arg(long = "loop")]
    looped: bool,
    /// A Unix socket (mode 0600) taking one command per line: pause, blank, resume,
    /// toggle-blank, toggle-pause, status (JSON), quit; `scrim control PATH CMD` sends one
    #[arg(long, value_name = "PATH")]
    control: Option<PathBuf>,
    /// The global hotkey that blanks the output (pressed again: resume), e.g. Ctrl+Alt+B, or
    /// none [default: the policy's [controls] hotkey, else Ctrl+Alt+B]. X11: grabbed by scrim;
    /// Wayland: proposed to the desktop's GlobalShortcuts portal, which may ask you
    #[arg(long, value_name = "KEY")]
    hotkey: Option<String>,
    /// With --sink window: draw the output state into scrim's window, a corner badge and a
    /// border while paused (amber) or blanked (red). A meeting sharing that window sees it too,
    /// which is why it is off by default; other sinks never get it
    #[arg(long)]
    badge: bool,
    /// Camera privacy: given any of these, frames are treated as camera footage (every frame is
    /// analysed for faces, background and whiteboards before release) instead of a screen
    #[command(flatten)]
    camera: crate::camera::CameraArgs,
}

/// The gate with the real OCR models behind it.
pub fn gate(
    mode: Mode,
    max_latency_ms: u64,
    policy: Policy,
    models: &ModelDir,
    threads: usize,
    backend: BackendChoice,
) -> Result<Gate> {
    let (ocr, classifier) = Analyzer::from_models(models, &policy, threads)?.into_parts();
    let cfg = GateConfig {
        mode,
        max_latency: Duration::from_millis(max_latency_ms),
        ..GateConfig::default()
    };
    Ok(Gate::new(
        cfg,
        Box::new(ocr),
        classifier,
        policy,
        crate::redactor(backend),
    ))
}

pub fn run(args: Args, models: &ModelDir, threads: usize, backend: BackendChoice) -> Result<ExitCode> {
    let mut policy = crate::load_policy(args.policy.as_deref())?;
    if let Some(k) = &args.hotkey {
        policy.controls.hotkey = match k.as_str() {
            "none" => None,
            k => Some(
                k.parse()
                    .map_err(|e| Error::new(ErrorKind::Usage, format!("--hotkey {k}: {e}")))?,
            ),
        };
    }
    let hotkey = policy.controls.hotkey.clone();
    if args.badge && !(args.sink == "window" || args.sink.starts_with("window:")) {
        return Err(Error::new(
            ErrorKind::Usage,
            "--badge marks scrim's own window (--sink window); a camera, pipe or file never gets it",
        ));
    }
    // open the sink first: a bad sink should fail before anything is captured
    let sink = live::sink::open(&args.sink, args.fps)?;
    if args.sink == "stdout" && std::io::stdout().is_terminal() {
        return Err(Error::new(
            ErrorKind::Usage,
            "--sink stdout writes video; pipe it somewhere (e.g. `| ffplay -`) or choose --sink file:out.mp4",
        ));
    }
    let source = live::source::open(&args.source, args.frames, args.fps, args.looped)?;
    let camera = args.camera.config(&policy.camera);
    let mut gate: Box<dyn FrameGate> = if camera.is_active() {
        Box::new(CameraGate::new(
            CameraFilter::new(models, camera, threads)?,
            crate::redactor(backend),
        ))
    } else {
        Box::new(gate(args.mode, args.max_latency, policy, models, threads, backend)?)
    };
    let stop = crate::signals::stop_flag();
    let controls = Controls::new(stop.clone());
    let socket = match &args.control {
        Some(p) => Some(ControlSocket::bind(p, controls.clone())?),
        None => None,
    };
    let mut stats_file = match &args.stats {
        // a line at a time: the file can be followed while scrim runs (`tail -f`, tests)
        Some(p) => Some(std::io::LineWriter::new(std::fs::File::create(p).map_err(|e| {
            Error::new(ErrorKind::Output, format!("cannot create {}: {e}", p.display()))
        })?)),
        None => None,
    };
    eprintln!(
        "scrim live: {} -> {} at {} fps, mode {:?}, redaction on {}",
        source.describe(),
        sink.describe(),
        args.fps,
        args.mode,
        gate.backend()
    );
    if let Some(s) = &socket {
        eprintln!(
            "scrim live: control socket {} (scrim control {} blank|pause|resume|status)",
            s.path().display(),
            s.path().display()
        );
    }
    if let Some(k) = &hotkey {
        global_hotkey(k, &controls);
    }
    let tty = std::io::stderr().is_terminal();
    // keys on the terminal; dropped (terminal restored) however this function returns
    let keys = crate::keys::Keys::start(controls.clone());
    let hint = if keys.is_some() { crate::keys::HINT } else { "" };
    let mut last_line = String::new();
    let status = live::run(
        source,
        gate.as_mut(),
        sink,
        &LiveConfig {
            fps: args.fps,
            max_frames: args.frames,
            controls: Some(controls.clone()),
            badge: args.badge,
        },
        &stop,
        stats_file.as_mut().map(|f| f as &mut dyn Write),
        |s| {
            last_line = s.line();
            if tty {
                eprint!("\r\x1b[2K{last_line}  {hint}");
            }
        },
    );
    if tty {
        eprintln!();
    }
    drop(keys);
    drop(socket);
    let status = status?;
    if let Some(f) = stats_file.as_mut() {
        f.flush()
            .map_err(|e| Error::new(ErrorKind::Output, format!("cannot write stats: {e}")))?;
    }
    // every captured frame is accounted for: released (clean or covered), and of those the
    // dropped ones counted in the line
    eprintln!(
        "scrim live: done: {} frames captured; {}",
        status.captured,
        status.line()
    );
    Ok(ExitCode::SUCCESS)
}

/// Grabs the "blank now" hotkey where the session allows it, and says in one line what the
/// presenter has (or why not, on a desktop where they would expect one). Without any display
/// (a server, a pipe) there is nothing to say.
fn global_hotkey(key: &hotkey::Hotkey, controls: &std::sync::Arc<Controls>) {
    let c = controls.clone();
    let toggle = move || {
        c.apply(scrim::live::control::Command::ToggleBlank);
    };
    match hotkey::availability() {
        Ok(hotkey::Route::X11(_)) => match hotkey::grab_x11(None, key, toggle) {
            Ok(()) => eprintln!("scrim live: hotkey {key} blanks the output, again resumes"),
            Err(e) => eprintln!("scrim: no global hotkey: {e}"),
        },
        Ok(hotkey::Route::Portal(_)) => {
            let outcome = hotkey::bind_portal(key, toggle);
            // a desktop that binds at once is answered before the status line starts; one that
            // asks the user answers later, on a line of its own
            match outcome.recv_timeout(Duration::from_secs(3)) {
                Ok(o) => eprintln!("{}", said(o)),
                Err(_) => {
                    eprintln!("scrim live: hotkey {key}: the desktop asks you to confirm it");
                    std::thread::spawn(move || {
                        if let Ok(o) = outcome.recv() {
                            let clear = if std::io::stderr().is_terminal() {
                                "\r\x1b[2K"
                            } else {
                                ""
                            };
                            eprintln!("{clear}{}", said(o));
                        }
                    });
                }
            }
        }
        Err(why) if hotkey::is_wayland() => eprintln!("scrim: no global hotkey: {why}"),
        Err(_) => {}
    }
}

/// The one line saying how binding the hotkey through the portal went.
fn said(outcome: hotkey::PortalOutcome) -> String {
    match outcome {
        Ok(Some(k)) => format!("scrim live: hotkey {k} blanks the output, again resumes (GlobalShortcuts portal)"),
        Ok(None) => format!(
            "scrim: the desktop gave the hotkey no keys yet: assign some to \"{}\" in its keyboard shortcut settings",
            hotkey::SHORTCUT_DESCRIPTION
        ),
        Err(e) => {
            format!("scrim: no global hotkey: {e}; --control PATH and `scrim control PATH toggle-blank` do the same")
        }
    }
}
