//! A PNG chart of per-stage latency (p50 bar, p95 whisker, p99 tick) on a log scale, drawn with
//! scrim's own raster and bitmap font: no font files or system libraries needed.

use scrim::{font, Frame};

pub struct Series {
    /// Group label, e.g. "1080P".
    pub group: String,
    /// (stage, p50, p95, p99) in milliseconds.
    pub stages: Vec<(String, f64, f64, f64)>,
}

const W: u32 = 1200;
const H: u32 = 520;
const LEFT: u32 = 90;
const TOP: u32 = 40;
const BOTTOM: u32 = 120;
/// The stage chart's decades: 0.01 ms to 10 s.
const STAGES: LogAxis = LogAxis { lo: -2.0, hi: 4.0 };
const COLOURS: [[u8; 3]; 6] = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [214, 39, 40],
    [148, 103, 189],
    [140, 86, 75],
];

/// A vertical log-scale axis of milliseconds over the decades `10^lo ..= 10^hi`.
struct LogAxis {
    lo: f64,
    hi: f64,
}

impl LogAxis {
    /// The pixel row of `ms` (clamped to the axis).
    fn y(&self, ms: f64) -> u32 {
        let plot_h = (H - TOP - BOTTOM) as f64;
        let v = ms.max(10f64.powf(self.lo)).log10().clamp(self.lo, self.hi);
        TOP + (plot_h * (1.0 - (v - self.lo) / (self.hi - self.lo))) as u32
    }

    /// A grid line and a label at every decade, from the plot's left edge to `right`.
    fn grid(&self, f: &mut Frame, right: u32, colour: [u8; 3]) {
        for d in (self.lo as i32)..=(self.hi as i32) {
            let ms = 10f64.powi(d);
            let y = self.y(ms);
            for x in LEFT..right {
                put(f, x, y, colour);
            }
            let label = if ms < 1.0 {
                format!("{ms}")
            } else {
                format!("{}", ms as u64)
            };
            text(f, &format!("{label} MS"), 8, y.saturating_sub(3), 1);
        }
    }
}

fn put(f: &mut Frame, x: u32, y: u32, c: [u8; 3]) {
    if x < W && y < H {
        let i = ((y * W + x) * 4) as usize;
        f.data_mut()[i..i + 3].copy_from_slice(&c);
    }
}

fn text(f: &mut Frame, s: &str, x: u32, y: u32, scale: u32) {
    font::draw_text(s, x, y, scale, |px, py| put(f, px, py, [30, 30, 30]));
}

pub fn draw(title: &str, series: &[Series]) -> Frame {
    let mut f = Frame::filled(W, H, [255, 255, 255, 255]).expect("chart size");
    text(&mut f, title, LEFT, 10, 2);
    STAGES.grid(&mut f, W - 20, [220, 220, 220]);
    let stages = series.iter().map(|s| s.stages.len()).max().unwrap_or(1).max(1) as u32;
    let groups = series.len().max(1) as u32;
    let group_w = (W - LEFT - 20) / groups;
    let bar_w = (group_w / (stages + 1)).max(4);
    let base = STAGES.y(10f64.powf(STAGES.lo));
    for (g, s) in series.iter().enumerate() {
        let gx = LEFT + g as u32 * group_w + bar_w / 2;
        text(&mut f, &s.group, gx, H - BOTTOM + 12, 2);
        for (i, (_, p50, p95, p99)) in s.stages.iter().enumerate() {
            let c = COLOURS[i % COLOURS.len()];
            let x0 = gx + i as u32 * bar_w;
            for y in STAGES.y(*p50)..base {
                for x in x0..x0 + bar_w - 3 {
                    put(&mut f, x, y, c);
                }
            }
            let mid = x0 + (bar_w - 3) / 2;
            for y in STAGES.y(*p95)..STAGES.y(*p50) {
                put(&mut f, mid, y, [0, 0, 0]);
            }
            for x in x0..x0 + bar_w - 3 {
                put(&mut f, x, STAGES.y(*p99), [0, 0, 0]);
            }
        }
    }
    if let Some(s) = series.first() {
        let items: Vec<(&str, [u8; 3])> = s
            .stages
            .iter()
            .enumerate()
            .map(|(i, (name, ..))| (name.as_str(), COLOURS[i % COLOURS.len()]))
            .collect();
        legend(&mut f, &items);
    }
    text(&mut f, "BAR P50  WHISKER P95  TICK P99  LOG SCALE", LEFT, H - 20, 1);
    f
}

/// Colour swatches with their names under the plot, three to a row.
fn legend(f: &mut Frame, items: &[(&str, [u8; 3])]) {
    for (i, (name, c)) in items.iter().enumerate() {
        let x = LEFT + (i as u32 % 3) * 330;
        let y = H - 70 + (i as u32 / 3) * 22;
        for yy in y..y + 12 {
            for xx in x..x + 12 {
                put(f, xx, yy, *c);
            }
        }
        text(f, name, x + 18, y + 2, 1);
    }
}

/// One frame of a live run, for [`timeline`].
pub struct FramePoint {
    /// Capture time from the start of the run, seconds.
    pub at_s: f64,
    /// Capture to release, ms.
    pub latency_ms: f64,
    /// Released with unanalysed parts covered.
    pub covered: bool,
}

/// The timeline's decades: 1 ms to 10 s.
const TIMELINE: LogAxis = LogAxis { lo: 0.0, hi: 4.0 };
const T_RIGHT: u32 = 30;
const CLEAN: [u8; 3] = [44, 160, 44];
const COVERED: [u8; 3] = [150, 150, 158];
const EPISODE: [u8; 3] = [214, 39, 40];

/// A live run over time: every frame's release latency (a dot, green if clean, grey if released
/// covered), each time-to-safe episode (a red bar from the change to the first clean frame, at
/// the height of its duration), the recording's events as labelled spans, and target lines.
pub fn timeline(
    title: &str,
    frames: &[FramePoint],
    episodes: &[(f64, f64)],
    events: &[(String, f64, f64)],
    targets: &[(f64, &str)],
) -> Frame {
    let mut f = Frame::filled(W, H, [255, 255, 255, 255]).expect("chart size");
    text(&mut f, title, LEFT, 10, 2);
    let end_s = frames
        .iter()
        .map(|p| p.at_s)
        .chain(episodes.iter().map(|&(s, d)| s + d / 1e3))
        .chain(events.iter().map(|e| e.2))
        .fold(1.0f64, f64::max);
    let plot_w = (W - LEFT - T_RIGHT) as f64;
    let x_of = |s: f64| LEFT + ((s / end_s).clamp(0.0, 1.0) * plot_w) as u32;
    let (top, base) = (TIMELINE.y(10f64.powf(TIMELINE.hi)), TIMELINE.y(1.0));
    // events: alternating light spans, labelled at the top
    for (i, (label, from, to)) in events.iter().enumerate() {
        let shade = if i % 2 == 0 { [236, 242, 250] } else { [246, 240, 228] };
        for x in x_of(*from)..x_of(*to) {
            for y in top..base {
                put(&mut f, x, y, shade);
            }
        }
        text(
            &mut f,
            &label.to_uppercase(),
            x_of(*from) + 3,
            top + 3 + (i as u32 % 2) * 10,
            1,
        );
    }
    TIMELINE.grid(&mut f, W - T_RIGHT, [215, 215, 215]);
    for &(ms, label) in targets {
        let y = TIMELINE.y(ms);
        for x in (LEFT..W - T_RIGHT).step_by(6) {
            for dx in 0..3 {
                put(&mut f, x + dx, y, [90, 90, 90]);
            }
        }
        text(
            &mut f,
            label,
            W - T_RIGHT - font::text_width(label, 1) - 4,
            y.saturating_sub(10),
            1,
        );
    }
    // seconds along the bottom
    let step = if end_s > 40.0 {
        10
    } else if end_s > 12.0 {
        2
    } else {
        1
    };
    for s in (0..=end_s as u64).step_by(step) {
        let x = x_of(s as f64);
        for y in base..base + 4 {
            put(&mut f, x, y, [30, 30, 30]);
        }
        text(&mut f, &format!("{s}"), x.saturating_sub(3), base + 8, 1);
    }
    for p in frames {
        let (x, y) = (x_of(p.at_s), TIMELINE.y(p.latency_ms));
        let c = if p.covered { COVERED } else { CLEAN };
        for dy in 0..3 {
            for dx in 0..3 {
                put(&mut f, (x + dx).saturating_sub(1), (y + dy).saturating_sub(1), c);
            }
        }
    }
    for &(s, d) in episodes {
        let y = TIMELINE.y(d);
        for x in x_of(s)..=x_of(s + d / 1e3) {
            for dy in 0..2 {
                put(&mut f, x, y + dy, EPISODE);
            }
        }
    }
    legend(
        &mut f,
        &[
            ("FRAME RELEASED CLEAN: LATENCY", CLEAN),
            ("FRAME RELEASED COVERED", COVERED),
            ("TIME TO SAFE: CHANGE TO CLEAN FRAME", EPISODE),
        ],
    );
    text(&mut f, "SECONDS FROM THE FIRST FRAME.  LOG SCALE.", LEFT, H - 20, 1);
    f
}
