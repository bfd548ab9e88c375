//! Fuzzing every parser scrim wrote itself (and its image-loading limits) with mutated inputs:
//! no panic, no hang, no allocation past the memory limit, and each parser's promise kept
//! (frames of the size the header says, findings inside the line, a round trip that returns
//! what was written). See `tests/fuzz/engine.rs` for how inputs are made.
//!
//! CI runs each target for `SCRIM_FUZZ_SECS` seconds (default 10). A long campaign:
//! `SCRIM_FUZZ_EXECS=1000000 SCRIM_FUZZ_SECS=100000 cargo test --release --test fuzz -- --nocapture`
//! (`SCRIM_FUZZ_TARGETS=mkv,y4m` picks targets, `SCRIM_FUZZ_SEED` varies the run).

#[path = "fuzz/engine.rs"]
mod engine;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Duration;

use engine::Target;
use scrim::live::source::{Source, Y4mSource};
use scrim::video::mkv::{MkvReader, MkvWriter, PixelFormat};

#[global_allocator]
static ALLOC: engine::Counting = engine::Counting;

/// One input may run this long (debug build, loaded machine) before it counts as a hang.
const TIME_LIMIT: Duration = Duration::from_secs(20);

fn corpus(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target)
}

fn y4m(input: &[u8]) -> Result<String, String> {
    let mut src = Y4mSource::new(input).map_err(|e| e.to_string())?;
    let mut n = 0;
    loop {
        match src.next_frame() {
            Ok(Some(f)) => {
                assert!(f.width() > 0 && f.height() > 0);
                n += 1;
            }
            Ok(None) => return Ok(format!("ok {}", n.min(3))),
            Err(e) => return Err(e.to_string()),
        }
    }
}

fn mkv_read(input: &[u8]) -> Result<String, String> {
    let mut r = MkvReader::new(input);
    let mut n = 0;
    loop {
        match r.next_frame() {
            Ok(Some(f)) => {
                let (w, h) = r.size();
                let format = r.format().expect("a frame before the format is known");
                assert_eq!(
                    f.data.len(),
                    format.frame_len(w, h),
                    "frame of another size than the header's"
                );
                n += 1;
            }
            Ok(None) => return Ok(format!("ok {}", n.min(3))),
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// The input read as frames (its first bytes choose size, format and timestamps), written by
/// MkvWriter and read back by MkvReader: the same frames, the same times.
fn mkv_round_trip(input: &[u8]) -> Result<String, String> {
    let b = |i: usize| input.get(i).copied().unwrap_or(0) as u32;
    let (w, h) = (1 + b(0) % 40, 1 + b(1) % 40);
    let format = if b(2) % 2 == 0 {
        PixelFormat::I420
    } else {
        PixelFormat::Rgba
    };
    let len = format.frame_len(w, h);
    let body = input.get(3..).unwrap_or(&[]);
    let frames: Vec<(Vec<u8>, i64)> = (0..1 + b(3) as usize % 4)
        .map(|i| {
            let data = (0..len)
                .map(|j| body.get((i * 7 + j) % body.len().max(1)).copied().unwrap_or(0))
                .collect();
            let pts = i as i64 * (b(4) as i64 * 1000 + b(5) as i64) + b(6) as i64;
            (data, pts)
        })
        .collect();
    let mut wr = MkvWriter::new(Vec::new(), w, h, format).map_err(|e| e.to_string())?;
    for (f, pts) in &frames {
        wr.write(f, *pts).map_err(|e| e.to_string())?;
    }
    let bytes = wr.finish().map_err(|e| e.to_string())?;
    let mut r = MkvReader::new(Cursor::new(bytes));
    for (f, pts) in &frames {
        let got = r
            .next_frame()
            .map_err(|e| e.to_string())?
            .expect("a written frame is missing");
        assert_eq!((&got.data, got.pts_ms), (f, *pts), "round trip changed a frame");
    }
    assert_eq!(r.size(), (w, h));
    assert_eq!(r.format(), Some(format));
    assert!(
        r.next_frame().map_err(|e| e.to_string())?.is_none(),
        "a frame was added"
    );
    Ok("ok".into())
}

fn policy(input: &[u8]) -> Result<String, String> {
    let src = String::from_utf8_lossy(input);
    scrim::policy::Policy::parse(&src, "fuzz.toml")
        .map(|_| "ok".into())
        .map_err(|e| e.to_string())
}

fn rules(input: &[u8]) -> Result<String, String> {
    let src = String::from_utf8_lossy(input);
    let f = scrim::classify::parse_secret_rules(&src, scrim::classify::SecretRulesDialect::Gitleaks)?;
    Ok(format!(
        "ok {} ignored {}",
        f.rules.len().min(3),
        f.ignored.len().min(3)
    ))
}

fn classifier(input: &[u8]) -> Result<String, String> {
    static C: std::sync::OnceLock<scrim::classify::Classifier> = std::sync::OnceLock::new();
    let c = C.get_or_init(|| scrim::classify::Classifier::new(Default::default()));
    let text = String::from_utf8_lossy(input);
    let chars = text.chars().count();
    let found = c.classify(&text);
    for f in &found {
        assert!(
            f.start < f.end && f.end <= chars,
            "finding {f:?} outside a line of {chars} chars"
        );
    }
    let mut cats: Vec<_> = found.iter().map(|f| f.category.as_str()).collect();
    cats.sort();
    cats.dedup();
    Ok(cats.join(","))
}

fn image(input: &[u8]) -> Result<String, String> {
    let f = scrim::imageio::decode(input).map_err(|e| e.to_string())?;
    assert!(f.width() <= scrim::frame::MAX_SIDE && f.height() <= scrim::frame::MAX_SIDE);
    assert_eq!(f.data().len(), f.width() as usize * f.height() as usize * 4);
    Ok("ok".into())
}

/// Targets: name, function, seed directory, dictionary, longest input.
type Spec = (&'static str, Target, &'static str, &'static [&'static [u8]], usize);

const TARGETS: &[Spec] = &[
    (
        "y4m",
        y4m,
        "y4m",
        &[
            b"YUV4MPEG2 ",
            b"W",
            b"H",
            b" C420jpeg",
            b" C444",
            b"FRAME\n",
            b" F30:1",
            b" Ip A1:1",
        ],
        1 << 16,
    ),
    (
        "mkv",
        mkv_read,
        "mkv",
        &[
            b"\x1a\x45\xdf\xa3",
            b"\x18\x53\x80\x67",
            b"\x1f\x43\xb6\x75",
            b"\xa3",
            b"\xe7",
            b"\x16\x54\xae\x6b",
            b"\xae",
            b"\xb0",
            b"\xba",
            b"\x01\xff\xff\xff\xff\xff\xff\xff",
            b"\x2e\xb5\x24",
            b"V_UNCOMPRESSED",
            b"I420",
            b"RGBA",
        ],
        1 << 16,
    ),
    ("mkv-round-trip", mkv_round_trip, "mkv", &[], 4096),
    (
        "policy",
        policy,
        "policy",
        &[
            b"[categories]\n",
            b"[redaction]\n",
            b"[redaction.per_category]\n",
            b"[hosts]\n",
            b"[custom]\n",
            b"[ocr]\n",
            b"[camera]\n",
            b"[names]\n",
            b"[controls]\n",
            b"[[rules]]\n",
            b" = \"",
            b"\"\n",
            b" = true\n",
            b" = 99999999999\n",
            b"[\"a\", \"b\"]",
            b"(?i)",
            b"style = \"mosaic\"\n",
            b"color = \"#ff00zz\"\n",
        ],
        1 << 14,
    ),
    (
        "rules",
        rules,
        "rules",
        &[
            b"[[rules]]\n",
            b"id = \"",
            b"regex = '''",
            b"'''\n",
            b"keywords = [\"",
            b"entropy = ",
            b"secretGroup = ",
            b"[rules.allowlist]\n",
            b"[[rules.allowlists]]\n",
            b"[allowlist]\n",
            b"[extend]\n",
            b"(?P<x>",
            b"{99999}",
            b"\\p{L}",
            b"\\<",
            b"\\0",
            b"*+",
        ],
        1 << 14,
    ),
    (
        "classifier",
        classifier,
        "classifier",
        &[
            b"@",
            b".",
            b"://",
            b"-",
            b"sk_live_",
            b"AKIA",
            b"ghp_",
            b"=",
            b" ",
            b"4242 ",
            b"+1 ",
            b"DE89",
            b".internal",
            b"::",
        ],
        4096,
    ),
    (
        "image",
        image,
        "image",
        &[
            b"\x89PNG\r\n\x1a\n",
            b"IHDR",
            b"IDAT",
            b"IEND",
            b"\xff\xd8\xff",
            b"\xff\xc0",
            b"RIFF",
            b"WEBPVP8 ",
            b"VP8L",
        ],
        1 << 16,
    ),
];

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn every_parser_survives_mutated_inputs() {
    engine::start_watchdog(TIME_LIMIT);
    let secs = env_u64("SCRIM_FUZZ_SECS").unwrap_or(10);
    let execs = env_u64("SCRIM_FUZZ_EXECS").unwrap_or(u64::MAX);
    let seed = env_u64("SCRIM_FUZZ_SEED").unwrap_or(0x5c41);
    let budget = engine::Budget {
        execs,
        time: Duration::from_secs(secs),
        seed,
    };
    let only = std::env::var("SCRIM_FUZZ_TARGETS").ok();
    for &(name, f, dir, dict, max_len) in TARGETS {
        if only.as_ref().is_some_and(|o| !o.split(',').any(|t| t == name)) {
            continue;
        }
        let s = engine::campaign(name, f, engine::seeds(&corpus(dir)), dict, max_len, &budget)
            .unwrap_or_else(|e| panic!("{e}"));
        println!(
            "fuzz {name}: {} execs in {:.1} s, {} distinct outcomes, pool {}, 0 crashes",
            s.execs,
            s.elapsed.as_secs_f64(),
            s.outcomes,
            s.pool
        );
    }
}

/// Inputs that once failed: each must now be a clean result or a clear error.
#[test]
fn crash_reproducers_stay_fixed() {
    engine::start_watchdog(TIME_LIMIT);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/crashes");
    for &(name, f, ..) in TARGETS {
        let dir = root.join(name);
        if dir.is_dir() {
            for input in engine::seeds(&dir) {
                engine::run_one(name, f, &input).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
}
