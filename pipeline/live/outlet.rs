//! Released frames reach the sink through an [`Outlet`]: the sink runs on a thread of its own, so
//! a consumer that stops reading (a pipe nobody drains, a stalled PipeWire consumer, an X server
//! that stopped answering) never stalls capture, the gate, the status line or Ctrl-C.
//!
//! A live output ([`Sink::realtime`]) holds at most one frame waiting beside the one being
//! written; a frame that finds that place taken is dropped and counted, never queued: what a
//! slow consumer misses is gone, and memory stays bounded. A recording (`--sink file:`) promises
//! every released frame, so for it the loop waits for the place instead.
//!
//! Only frames the gate released ever get here, so dropping one cannot show anything the gate
//! did not pass.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::sink::Sink;
use crate::error::{Error, ErrorKind, Result};
use crate::frame::Frame;

/// How long finishing a live output may take before scrim stops waiting for a consumer that
/// does not read (a recording is always waited for: its encoder has the frames).
pub const FINISH_TIMEOUT: Duration = Duration::from_secs(5);

/// What became of one frame handed to the outlet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// On its way to the sink.
    Queued,
    /// The consumer was still busy with earlier frames: not sent.
    Dropped,
}

struct State {
    waiting: Option<(Arc<Frame>, Duration)>,
    closed: bool,
    /// A write failed: the sink takes nothing more; reported by the next offer.
    failed: Option<(ErrorKind, String)>,
    reported: bool,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// What the sink itself dropped ([`Sink::dropped`]: while reconnecting).
    sink_dropped: AtomicU64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub struct Outlet {
    shared: Arc<Shared>,
    done: Receiver<Result<()>>,
    realtime: bool,
    describe: String,
    dropped: u64,
}

impl Outlet {
    pub fn start(sink: Box<dyn Sink>) -> Result<Outlet> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                waiting: None,
                closed: false,
                failed: None,
                reported: false,
            }),
            changed: Condvar::new(),
            sink_dropped: AtomicU64::new(0),
        });
        let (tx, done) = mpsc::sync_channel(1);
        let realtime = sink.realtime();
        let describe = sink.describe();
        let s = shared.clone();
        std::thread::Builder::new()
            .name("scrim-sink".into())
            .spawn(move || {
                let _ = tx.send(write_all(&s, sink));
            })
            .map_err(|e| Error::new(ErrorKind::Output, format!("cannot start the output thread: {e}")))?;
        Ok(Outlet {
            shared,
            done,
            realtime,
            describe,
            dropped: 0,
        })
    }

    /// Released frames that never reached the consumer: it was not keeping up, or the sink
    /// was reconnecting to it.
    pub fn dropped(&self) -> u64 {
        self.dropped + self.shared.sink_dropped.load(Ordering::Relaxed)
    }

    /// Hands `frame` to the sink, or drops it if a live consumer is still busy; an earlier
    /// write's failure is returned here (once).
    pub fn offer(&mut self, frame: Arc<Frame>, pts: Duration) -> Result<Delivery> {
        let mut st = self.shared.lock();
        loop {
            if let Some((kind, msg)) = st.failed.clone() {
                st.reported = true;
                return Err(Error::new(kind, msg));
            }
            if st.waiting.is_none() {
                st.waiting = Some((frame, pts));
                self.shared.changed.notify_all();
                return Ok(Delivery::Queued);
            }
            if self.realtime {
                self.dropped += 1;
                return Ok(Delivery::Dropped);
            }
            st = self.shared.changed.wait(st).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Lets the sink write what it has and finish (a file is completed here). A live consumer
    /// that does not read within [`FINISH_TIMEOUT`] is left behind: `Closed`. A write failure
    /// no offer reported yet is returned.
    pub fn finish(self) -> Result<()> {
        self.shared.lock().closed = true;
        self.shared.changed.notify_all();
        let finished = if self.realtime {
            match self.done.recv_timeout(FINISH_TIMEOUT) {
                Ok(r) => r,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(Error::new(
                        ErrorKind::Closed,
                        format!(
                            "{} was not read for {} s: stopped waiting for its reader",
                            self.describe,
                            FINISH_TIMEOUT.as_secs()
                        ),
                    ))
                }
                Err(RecvTimeoutError::Disconnected) => Err(thread_died()),
            }
        } else {
            self.done.recv().unwrap_or_else(|_| Err(thread_died()))
        };
        let st = self.shared.lock();
        match &st.failed {
            Some((kind, msg)) if !st.reported => Err(Error::new(*kind, msg.clone())),
            _ => finished,
        }
    }
}

fn thread_died() -> Error {
    Error::new(ErrorKind::Output, "the output thread ended unexpectedly")
}

/// The sink's thread: writes each frame as it comes until closed or a write fails, then
/// finishes the sink.
fn write_all(shared: &Shared, mut sink: Box<dyn Sink>) -> Result<()> {
    loop {
        let next = {
            let mut st = shared.lock();
            loop {
                if let Some(f) = st.waiting.take() {
                    // the place is free again: a recording's loop may go on
                    shared.changed.notify_all();
                    break Some(f);
                }
                if st.closed {
                    break None;
                }
                st = shared.changed.wait(st).unwrap_or_else(|p| p.into_inner());
            }
        };
        let Some((frame, pts)) = next else { break };
        let written = sink.write(&frame, pts);
        shared.sink_dropped.store(sink.dropped(), Ordering::Relaxed);
        if let Err(e) = written {
            let mut st = shared.lock();
            st.failed = Some((e.kind(), e.to_string()));
            shared.changed.notify_all();
            break;
        }
    }
    sink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A sink whose writes wait until `open` is set, counting what it wrote.
    struct Slow {
        open: Arc<std::sync::atomic::AtomicBool>,
        written: Arc<AtomicU64>,
        realtime: bool,
        fail_after: Option<u64>,
    }

    impl Sink for Slow {
        fn describe(&self) -> String {
            "slow".into()
        }
        fn realtime(&self) -> bool {
            self.realtime
        }
        fn write(&mut self, _: &Arc<Frame>, _: Duration) -> Result<()> {
            while !self.open.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
            let n = self.written.fetch_add(1, Ordering::SeqCst) + 1;
            if self.fail_after.is_some_and(|f| n > f) {
                return Err(Error::new(ErrorKind::Output, "disk full"));
            }
            Ok(())
        }
        fn finish(self: Box<Self>) -> Result<()> {
            Ok(())
        }
    }

    fn slow(realtime: bool, fail_after: Option<u64>) -> (Outlet, Arc<std::sync::atomic::AtomicBool>, Arc<AtomicU64>) {
        let open = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let written = Arc::new(AtomicU64::new(0));
        let o = Outlet::start(Box::new(Slow {
            open: open.clone(),
            written: written.clone(),
            realtime,
            fail_after,
        }))
        .unwrap();
        (o, open, written)
    }

    fn frame() -> Arc<Frame> {
        Arc::new(Frame::filled(4, 4, [0; 4]).unwrap())
    }

    #[test]
    fn a_consumer_that_does_not_read_gets_frames_dropped_and_counted_never_queued() {
        let (mut o, open, written) = slow(true, None);
        let mut queued = 0;
        for _ in 0..1000 {
            if o.offer(frame(), Duration::ZERO).unwrap() == Delivery::Queued {
                queued += 1;
            }
        }
        // one being written (blocked), one waiting; the rest dropped
        assert!(queued <= 2, "{queued} queued");
        assert_eq!(o.dropped(), 1000 - queued);
        assert_eq!(written.load(Ordering::SeqCst), 0);
        let t = Instant::now();
        let e = o.finish().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Closed, "{e}");
        assert!(t.elapsed() < FINISH_TIMEOUT + Duration::from_secs(2));
        open.store(true, Ordering::SeqCst); // lets the abandoned thread end
    }

    #[test]
    fn a_recording_waits_and_gets_every_frame() {
        let (mut o, open, written) = slow(false, None);
        let opener = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            open.store(true, Ordering::SeqCst);
        });
        for _ in 0..20 {
            assert_eq!(o.offer(frame(), Duration::ZERO).unwrap(), Delivery::Queued);
        }
        o.finish().unwrap();
        opener.join().unwrap();
        assert_eq!(written.load(Ordering::SeqCst), 20);
    }

    #[test]
    fn a_failed_write_is_reported_once_by_an_offer_or_by_finish() {
        let (mut o, open, _) = slow(false, Some(2));
        open.store(true, Ordering::SeqCst);
        let mut err = None;
        for _ in 0..100 {
            if let Err(e) = o.offer(frame(), Duration::ZERO) {
                err = Some(e);
                break;
            }
        }
        assert_eq!(err.expect("the failure reaches an offer").to_string(), "disk full");
        o.finish().unwrap();

        let (mut o, open, _) = slow(false, Some(0));
        open.store(true, Ordering::SeqCst);
        o.offer(frame(), Duration::ZERO).unwrap();
        assert_eq!(o.finish().unwrap_err().to_string(), "disk full");
    }
}
