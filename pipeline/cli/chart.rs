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
/// Decades shown: 0.01 ms to 10 s.
const LOG_MIN: f64 = -2.0;
const LOG_MAX: f64 = 4.0;
const COLOURS: [[u8; 3]; 6] = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [214, 39, 40],
    [148, 103, 189],
    [140, 86, 75],
];

fn y_of(ms: f64) -> u32 {
    let plot_h = (H - TOP - BOTTOM) as f64;
    let v = ms.max(10f64.powf(LOG_MIN)).log10().clamp(LOG_MIN, LOG_MAX);
    TOP + (plot_h * (1.0 - (v - LOG_MIN) / (LOG_MAX - LOG_MIN))) as u32
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
    // decade grid lines and labels
    for d in (LOG_MIN as i32)..=(LOG_MAX as i32) {
        let ms = 10f64.powi(d);
        let y = y_of(ms);
        for x in LEFT..W - 20 {
            put(&mut f, x, y, [220, 220, 220]);
        }
        let label = if ms < 1.0 {
            format!("{ms}")
        } else {
            format!("{}", ms as u64)
        };
        text(&mut f, &format!("{label} MS"), 8, y.saturating_sub(3), 1);
    }
    let stages = series.iter().map(|s| s.stages.len()).max().unwrap_or(1).max(1) as u32;
    let groups = series.len().max(1) as u32;
    let group_w = (W - LEFT - 20) / groups;
    let bar_w = (group_w / (stages + 1)).max(4);
    let base = y_of(10f64.powf(LOG_MIN));
    for (g, s) in series.iter().enumerate() {
        let gx = LEFT + g as u32 * group_w + bar_w / 2;
        text(&mut f, &s.group, gx, H - BOTTOM + 12, 2);
        for (i, (_, p50, p95, p99)) in s.stages.iter().enumerate() {
            let c = COLOURS[i % COLOURS.len()];
            let x0 = gx + i as u32 * bar_w;
            for y in y_of(*p50)..base {
                for x in x0..x0 + bar_w - 3 {
                    put(&mut f, x, y, c);
                }
            }
            let mid = x0 + (bar_w - 3) / 2;
            for y in y_of(*p95)..y_of(*p50) {
                put(&mut f, mid, y, [0, 0, 0]);
            }
            for x in x0..x0 + bar_w - 3 {
                put(&mut f, x, y_of(*p99), [0, 0, 0]);
            }
        }
    }
    // legend
    if let Some(s) = series.first() {
        for (i, (name, ..)) in s.stages.iter().enumerate() {
            let x = LEFT + (i as u32 % 3) * 330;
            let y = H - 70 + (i as u32 / 3) * 22;
            for yy in y..y + 12 {
                for xx in x..x + 12 {
                    put(&mut f, xx, yy, COLOURS[i % COLOURS.len()]);
                }
            }
            text(&mut f, name, x + 18, y + 2, 1);
        }
    }
    text(&mut f, "BAR P50  WHISKER P95  TICK P99  LOG SCALE", LEFT, H - 20, 1);
    f
}
