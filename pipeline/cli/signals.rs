//! SIGINT (Ctrl-C), SIGTERM and SIGHUP all ask scrim to stop. The first sets the stop flag the
//! running job checks between frames: `live` finishes its sink (a file is completed and renamed
//! into place), `redact` of a recording aborts and removes its partial output (exit 130). A
//! second one while scrim is still finishing stops at once: unfinished outputs are removed (never
//! left looking complete) and scrim exits with 130.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// The process's stop flag, with the handler installed on first use.
pub fn stop_flag() -> Arc<AtomicBool> {
    static STOP: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    STOP.get_or_init(|| {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let installed = ctrlc::set_handler(move || {
            if !s.swap(true, Ordering::SeqCst) {
                if std::io::stderr().is_terminal() {
                    eprintln!("\nscrim: stopping (interrupt again to stop at once, dropping unfinished output)");
                }
                return;
            }
            scrim::partial::abandon();
            eprintln!("\nscrim: stopped at once; unfinished output removed");
            // no unwinding, no atexit handlers: other threads (inference, encoders) are still
            // running and must not see libraries torn down under them
            // SAFETY: _exit has no preconditions
            unsafe { libc::_exit(130) }
        });
        if let Err(e) = installed {
            eprintln!("scrim: cannot handle Ctrl-C ({e}); stopping scrim will not finish its output");
        }
        stop
    })
    .clone()
}
