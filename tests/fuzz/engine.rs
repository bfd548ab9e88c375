//! A small coverage-less mutation fuzzer that runs on stable Rust, so CI can run it with the
//! other tests. (cargo-fuzz needs nightly and rebuilds the whole dependency tree with
//! sanitizers; here a target is an ordinary function run in the test process.)
//!
//! Inputs are seeds from `tests/fuzz/corpus/TARGET/` mutated by byte-level operators (flips,
//! interesting values, insertions, deletions, repeats, splices, dictionary tokens). Without
//! coverage the only feedback is the outcome: an input whose result (Ok, or an error message
//! with its digits removed) is new joins the pool, so mutation reaches deeper error paths.
//!
//! A failure is a panic, an input running longer than the time limit (a watchdog aborts the
//! process after saving it), or an allocation beyond the memory limit (the allocator saves it
//! and aborts). Saved inputs go to `$CARGO_TARGET_TMPDIR/fuzz-crashes/TARGET/`; moved into
//! `tests/fuzz/crashes/TARGET/` they are replayed by every test run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashSet;
use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Live heap bytes above which an input counts as running out of memory.
pub const MEMORY_LIMIT: usize = 3 << 30;

/// The test binary's allocator: the system one, counting live bytes.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The input being run and where to save it if it must abort (set by [`run_one`]).
static INPUT: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static INPUT_LEN: AtomicUsize = AtomicUsize::new(0);
static SAVE_AS: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());
/// When the current input started (ms since [`epoch`]), 0 when none runs.
static STARTED_MS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        if LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size() > MEMORY_LIMIT {
            abort_saving(b"fuzz: allocation beyond the memory limit\n");
        }
        // SAFETY: forwarded as is
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        // SAFETY: forwarded as is
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        if LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size() > MEMORY_LIMIT {
            abort_saving(b"fuzz: allocation beyond the memory limit\n");
        }
        // SAFETY: forwarded as is
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() && LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size() > MEMORY_LIMIT {
            abort_saving(b"fuzz: allocation beyond the memory limit\n");
        }
        if new < l.size() {
            LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
        }
        // SAFETY: forwarded as is
        unsafe { System.realloc(p, l, new) }
    }
}

/// Writes the current input to its save path and aborts, allocating nothing (this runs inside
/// the allocator, or in the watchdog while the input still runs).
fn abort_saving(why: &[u8]) -> ! {
    // SAFETY: raw syscalls on buffers that stay alive while their input runs ([`run_one`]
    // clears the pointers before dropping them)
    unsafe {
        libc::write(2, why.as_ptr().cast(), why.len());
        let path = SAVE_AS.load(Ordering::SeqCst);
        let input = INPUT.load(Ordering::SeqCst);
        if !path.is_null() && !input.is_null() {
            let fd = libc::open(path, libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, 0o644);
            if fd >= 0 {
                libc::write(fd, input.cast(), INPUT_LEN.load(Ordering::SeqCst));
                libc::close(fd);
                let msg = b"fuzz: input saved to ";
                libc::write(2, msg.as_ptr().cast(), msg.len());
                libc::write(2, path.cast(), libc::strlen(path));
                libc::write(2, b"\n".as_ptr().cast(), 1);
            }
        }
        libc::abort()
    }
}

fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    epoch().elapsed().as_millis() as u64 + 1
}

/// Aborts (saving the input) when one input has run longer than `limit`.
pub fn start_watchdog(limit: Duration) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(100));
            let t = STARTED_MS.load(Ordering::SeqCst);
            if t != 0 && now_ms().saturating_sub(t) > limit.as_millis() as u64 {
                abort_saving(b"fuzz: an input ran past the time limit (a hang)\n");
            }
        });
    });
}

/// A fuzz target: parses the input and checks what it promises; `Err` is a clear error
/// (fine), a panic or a broken promise is a failure. Returns the outcome's description.
pub type Target = fn(&[u8]) -> Result<String, String>;

/// Where a failing input of `target` is saved.
pub fn crash_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz-crashes")
        .join(target)
}

/// Runs one input: the outcome class (for the pool), or the panic message.
pub fn run_one(target: &str, f: Target, input: &[u8]) -> Result<String, String> {
    let dir = crash_dir(target);
    let save = dir.join(format!("{:016x}", fnv(input)));
    let save_c = CString::new(save.to_string_lossy().as_bytes()).unwrap();
    std::fs::create_dir_all(&dir).ok();
    INPUT.store(input.as_ptr() as *mut u8, Ordering::SeqCst);
    INPUT_LEN.store(input.len(), Ordering::SeqCst);
    SAVE_AS.store(save_c.as_ptr() as *mut _, Ordering::SeqCst);
    STARTED_MS.store(now_ms(), Ordering::SeqCst);
    let r = std::panic::catch_unwind(|| f(input));
    STARTED_MS.store(0, Ordering::SeqCst);
    INPUT.store(std::ptr::null_mut(), Ordering::SeqCst);
    SAVE_AS.store(std::ptr::null_mut(), Ordering::SeqCst);
    drop(save_c);
    match r {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(e)) => Ok(format!("error: {}", strip_digits(&e))),
        Err(p) => {
            std::fs::write(&save, input).ok();
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("{target}: panic \"{msg}\"; input saved to {}", save.display()))
        }
    }
}

fn strip_digits(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_ascii_digit()).collect();
    s.chars().take(80).collect()
}

fn fnv(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &x| {
        (h ^ x as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// xorshift64*: deterministic per seed, so a run can be repeated.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: &[&[u8]] = &[
    b"\x00",
    b"\xff",
    b"\x7f",
    b"\x80",
    b"\xff\xff\xff\xff",
    b"\x00\x00\x00\x00",
    b"\x01\x00\x00\x00\x00\x00\x00\x00",
    b"\xff\xff\xff\xff\xff\xff\xff\x7f",
    b"0",
    b"-1",
    b"4294967296",
    b"16384",
    b"16385",
    b"99999999999999999999",
    b"\n",
    b"\"",
    b"\\",
    "é".as_bytes(),
    "\u{202e}".as_bytes(),
];

/// One mutated input from the pool.
pub fn mutate(rng: &mut Rng, pool: &[Vec<u8>], dict: &[&[u8]], max_len: usize) -> Vec<u8> {
    let mut v = pool[rng.below(pool.len())].clone();
    for _ in 0..1 + rng.below(6) {
        let len = v.len();
        let at = rng.below(len + 1);
        match rng.below(10) {
            0 if len > 0 => v[at.min(len - 1)] ^= 1 << rng.below(8),
            1 if len > 0 => v[at.min(len - 1)] = rng.next() as u8,
            2 => {
                let tok = INTERESTING[rng.below(INTERESTING.len())];
                overwrite(&mut v, at, tok);
            }
            3 if !dict.is_empty() => {
                let tok = dict[rng.below(dict.len())];
                v.splice(at..at, tok.iter().copied());
            }
            4 if len > 0 => {
                let end = (at + 1 + rng.below(32)).min(len);
                v.drain(at.min(len - 1)..end);
            }
            5 if len > 0 => {
                // repeat a chunk (nesting, long runs)
                let start = at.min(len - 1);
                let end = (start + 1 + rng.below(64)).min(len);
                let chunk = v[start..end].to_vec();
                for _ in 0..1 + rng.below(8) {
                    v.splice(start..start, chunk.iter().copied());
                }
            }
            6 => {
                // splice with another input
                let other = &pool[rng.below(pool.len())];
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let n = rng.below(other.len() - from + 1);
                    v.splice(at..(at + n).min(len), other[from..from + n].iter().copied());
                }
            }
            7 if len > 0 => v.truncate(at),
            8 if !dict.is_empty() => {
                let tok = dict[rng.below(dict.len())];
                overwrite(&mut v, at, tok);
            }
            _ => {
                let n = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                v.splice(at..at, bytes);
            }
        }
    }
    v.truncate(max_len);
    v
}

fn overwrite(v: &mut Vec<u8>, at: usize, tok: &[u8]) {
    for (i, &b) in tok.iter().enumerate() {
        match v.get_mut(at + i) {
            Some(x) => *x = b,
            None => v.push(b),
        }
    }
}

/// What a campaign did.
pub struct Summary {
    pub execs: u64,
    pub outcomes: usize,
    pub pool: usize,
    pub elapsed: Duration,
}

/// Seeds of a target: every file in `dir`.
pub fn seeds(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// How long a campaign runs: until `execs` inputs ran or `time` passed; `seed` for its RNG.
pub struct Budget {
    pub execs: u64,
    pub time: Duration,
    pub seed: u64,
}

/// Mutates `seeds` through `f` (inputs up to `max_len` bytes) within `budget`.
pub fn campaign(
    target: &str,
    f: Target,
    seeds: Vec<Vec<u8>>,
    dict: &[&[u8]],
    max_len: usize,
    budget: &Budget,
) -> Result<Summary, String> {
    let started = Instant::now();
    let mut rng = Rng::new(budget.seed);
    let (execs, budget) = (budget.execs, budget.time);
    let mut outcomes = HashSet::new();
    let mut pool = Vec::new();
    for s in seeds {
        outcomes.insert(run_one(target, f, &s)?);
        pool.push(s);
    }
    let mut n = pool.len() as u64;
    while n < execs && started.elapsed() < budget {
        let input = mutate(&mut rng, &pool, dict, max_len);
        let outcome = run_one(target, f, &input)?;
        n += 1;
        if outcomes.insert(outcome) && pool.len() < 4096 {
            pool.push(input);
        }
    }
    Ok(Summary {
        execs: n,
        outcomes: outcomes.len(),
        pool: pool.len(),
        elapsed: started.elapsed(),
    })
}
