//! Live capture on Wayland: the xdg-desktop-portal ScreenCast interface and the PipeWire stream
//! it opens (`--source portal[:monitor|window]`, and `screen` on a Wayland session).
//!
//! The portal dance: CreateSession → SelectSources (the kinds of source, the cursor kept out of
//! the picture, `persist_mode` 2 and the stored restore token) → Start (the desktop's picker,
//! unless the token restores the previous choice) → OpenPipeWireRemote, then the stream on that
//! connection ([`stream`]). A stream that ends, or a session the user closes from the desktop,
//! is "source lost": the output shows the placeholder.
//!
//! Why zbus and pipewire directly, and not xcap's Wayland recorder or ashpd: xcap 0.9's recorder
//! asks for monitors only, with no cursor mode, no persist mode or restore token (a picker on
//! every start), connects to the default PipeWire daemon instead of the portal's remote,
//! ignores the stride, crop and transform, and drops frames in formats it does not know with a
//! log line. ashpd wraps the same calls in an async API that needs an executor; zbus 5 (blocking
//! API, async-io inside, no tokio) and pipewire 0.10 are already in the build as xcap's
//! dependencies, so this module adds no crate to compile.

pub mod pixels;
pub mod request;
pub mod screencast;
pub mod shortcuts;
pub mod stream;
pub mod token;
pub mod transform;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, Rect};

use super::source::Source;
use screencast::{Answer, Portal, Session, MONITOR, WINDOW};
use stream::{Shared, StreamSpec, StreamThread};
use token::TokenStore;

/// What the user is offered in the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Whatever the portal can cast (a monitor or a window).
    Any,
    Monitor,
    Window,
}

impl Kind {
    /// The restore token's file: one per kind, so a window choice never restores a monitor.
    fn token_name(self) -> &'static str {
        match self {
            Kind::Any => "portal",
            Kind::Monitor => "portal-monitor",
            Kind::Window => "portal-window",
        }
    }

    fn types(self, available: u32) -> Result<u32> {
        let want = match self {
            Kind::Any => available & (MONITOR | WINDOW),
            Kind::Monitor => MONITOR,
            Kind::Window => WINDOW,
        };
        if want == 0 || available & want != want {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "this desktop's screen-cast portal offers {} capture, not {}{}",
                    screencast::source_type_names(available),
                    match self {
                        Kind::Window => "window",
                        _ => "a monitor",
                    },
                    if self == Kind::Window {
                        "; use --source portal:monitor"
                    } else {
                        ""
                    }
                ),
            ));
        }
        Ok(want)
    }
}

/// How long the first picture may take once the cast started.
const FIRST_FRAME: Duration = Duration::from_secs(10);

pub struct PortalSource {
    portal: Portal,
    session: Session,
    /// Declared before `portal` is dropped: stops the PipeWire thread first.
    stream: Option<StreamThread>,
    shared: Arc<Shared>,
    closed: Arc<AtomicBool>,
    last: Option<(u64, Arc<Frame>)>,
    /// The first picture was waited for once already (later calls never block the loop).
    waited: bool,
    name: String,
    /// The portal took the stored token and handed the same one back: the previous choice was
    /// restored without the picker (a portal that issues a new token each time never says so).
    pub restored: bool,
}

/// Starts a cast of `types`: with the stored restore token if there is one (no picker if the
/// portal still knows the choice), else, or when the portal refuses the token, with the picker.
/// Returns the session, what Start answered, and whether the previous choice was restored.
fn started(
    portal: &Portal,
    types: u32,
    store: Option<&TokenStore>,
) -> Result<(Session, screencast::StartResults, bool)> {
    let token = store.and_then(|s| s.load());
    let attempt = |token: Option<&str>| -> Result<(Session, Answer, screencast::StartResults)> {
        let mut session = portal.create_session()?;
        let asked = session.select_sources(portal, types, token).and_then(|a| match a {
            Answer::Granted => session.start(portal),
            refused => Ok((refused, Default::default())),
        });
        match asked {
            Ok((Answer::Granted, results)) => Ok((session, Answer::Granted, results)),
            Ok((answer, results)) => {
                session.close(portal);
                Ok((session, answer, results))
            }
            Err(e) => {
                session.close(portal);
                Err(e)
            }
        }
    };
    // A token the portal refuses (xdg-desktop-portal answers a malformed one with an
    // InvalidArgument error, a backend may fail the start): forget it and ask the user again.
    // One it does not know it ignores, and shows the picker itself.
    let first = match attempt(token.as_deref()) {
        Ok((_, Answer::Failed, _)) | Err(_) if token.is_some() => None,
        other => Some(other?),
    };
    let first_worked = first.is_some();
    let (session, answer, results) = match first {
        Some(r) => r,
        None => {
            if let Some(s) = store {
                s.clear();
            }
            attempt(None)?
        }
    };
    match answer {
        Answer::Granted => {}
        Answer::Cancelled => {
            return Err(Error::new(
                ErrorKind::Usage,
                "screen sharing was cancelled in the desktop's dialog",
            ))
        }
        Answer::Failed => {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "the desktop's screen-cast portal could not start a cast of {}",
                    screencast::source_type_names(types)
                ),
            ))
        }
    }
    let restored = first_worked && token.is_some() && results.restore_token == token;
    // single use: store whatever came back (nothing: forget the old one)
    if let Some(s) = store {
        match results.restore_token.as_deref() {
            Some(t) => s.save(t)?,
            None => s.clear(),
        }
    }
    Ok((session, results, restored))
}

impl PortalSource {
    /// Starts a cast of `kind` (showing the desktop's picker unless a stored token restores
    /// the previous choice) and its stream, at most `fps` pictures a second. `region`: keep only
    /// that part of the picture.
    pub fn open(kind: Kind, region: Option<Rect>, fps: u32) -> Result<PortalSource> {
        let portal = Portal::connect()?;
        let types = kind.types(portal.source_types)?;
        let store = (portal.version >= 4)
            .then(|| TokenStore::for_kind(kind.token_name()))
            .flatten();
        let (mut session, results, restored) = started(&portal, types, store.as_ref())?;
        let streams = results.streams.unwrap_or_default();
        let Some((node, props)) = streams.into_iter().next() else {
            session.close(&portal);
            return Err(Error::new(
                ErrorKind::Usage,
                "the screen-cast portal started a cast without a stream",
            ));
        };
        let closed = session.watch_closed(&portal)?;
        let fd = session.open_pipewire_remote(&portal)?;
        let shared = Arc::new(Shared::default());
        let stream = stream::spawn(
            fd,
            StreamSpec {
                node,
                max_fps: fps,
                region,
            },
            shared.clone(),
        )
        .inspect_err(|_| session.close(&portal))?;
        // what was cast: what was asked for when that is one kind (xdg-desktop-portal-wlr 0.7
        // reports a monitor as source_type 2), else what the portal says the user picked
        let what = match (types, props.source_type) {
            (WINDOW, _) | (_, Some(WINDOW)) if types != MONITOR => "window",
            _ => "monitor",
        };
        let name = format!(
            "{what} through the screen-cast portal (v{}, PipeWire node {node}{})",
            portal.version,
            if restored { ", previous choice restored" } else { "" }
        );
        Ok(PortalSource {
            portal,
            session,
            stream: Some(stream),
            shared,
            closed,
            last: None,
            waited: false,
            name,
            restored,
        })
    }

    /// The negotiated format ("BGRx 1920x1080"), once the stream has one.
    pub fn format(&self) -> Option<String> {
        self.shared.latest.lock().ok()?.format.clone()
    }
}

fn lost(why: impl Into<String>) -> Error {
    Error::new(ErrorKind::BadInput, why)
}

impl Source for PortalSource {
    fn describe(&self) -> String {
        match self.format() {
            Some(f) => format!("{}, {f}", self.name),
            None => self.name.clone(),
        }
    }

    fn next_frame(&mut self) -> Result<Option<Arc<Frame>>> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(lost("the desktop ended the screen cast"));
        }
        let deadline = Instant::now()
            + if std::mem::replace(&mut self.waited, true) {
                Duration::ZERO
            } else {
                FIRST_FRAME
            };
        let mut latest = self.shared.latest.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(note) = latest.note.take() {
                eprintln!("scrim: {note}");
            }
            if let Some(why) = &latest.ended {
                return Err(lost(why.clone()));
            }
            match (&latest.frame, &self.last) {
                // nothing new (the screen did not change): the same picture, which the gate skips
                (Some(_), Some((seq, last))) if *seq == latest.seq => return Ok(Some(last.clone())),
                (Some(f), _) => {
                    self.last = Some((latest.seq, f.clone()));
                    return Ok(Some(f.clone()));
                }
                // the first picture is on its way
                (None, _) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(lost(format!(
                            "no picture from the screen cast within {} s",
                            FIRST_FRAME.as_secs()
                        )));
                    }
                    latest = self
                        .shared
                        .changed
                        .wait_timeout(latest, left)
                        .unwrap_or_else(|p| p.into_inner())
                        .0;
                }
            }
        }
    }
}

impl Drop for PortalSource {
    fn drop(&mut self) {
        self.stream.take();
        self.session.close(&self.portal);
    }
}
