//! Redaction tracks: the same redacted thing over consecutive frames, so a report can say "an
//! e-mail address, frames 120–430" instead of listing a box per frame.

use serde::Serialize;

use crate::classify::Category;
use crate::frame::Rect;
use crate::region::Region;

#[derive(Debug, Clone, Serialize)]
pub struct TrackBox {
    pub frame: u64,
    #[serde(rename = "box")]
    pub rect: Rect,
}

/// One redacted thing over time. Never its text.
#[derive(Debug, Clone, Serialize)]
pub struct Track {
    pub id: usize,
    pub category: Category,
    pub first_frame: u64,
    pub last_frame: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    /// The box at the first frame and whenever it moved or changed size.
    pub boxes: Vec<TrackBox>,
}

#[derive(Default)]
pub struct Tracker {
    open: Vec<Track>,
    closed: Vec<Track>,
    next_id: usize,
}

fn iou(a: Rect, b: Rect) -> f32 {
    let i = a.intersect(b).area() as f32;
    let u = a.area() as f32 + b.area() as f32 - i;
    if u <= 0.0 {
        0.0
    } else {
        i / u
    }
}

impl Tracker {
    /// Adds a frame's regions; returns the ids of tracks that start in this frame.
    pub fn update(&mut self, frame: u64, pts_ms: i64, regions: &[Region]) -> Vec<usize> {
        let mut matched = vec![false; self.open.len()];
        let mut started = Vec::new();
        let mut next_open = Vec::with_capacity(regions.len());
        for r in regions {
            // same category, and overlapping, or the same box moved vertically (a scroll)
            let last = |t: &Track| t.boxes.last().map(|b| b.rect).unwrap_or_default();
            let best = self
                .open
                .iter()
                .enumerate()
                .filter(|(i, t)| !matched[*i] && t.category == r.category)
                .map(|(i, t)| {
                    let l = last(t);
                    let moved = l.x == r.rect.x && l.w == r.rect.w && l.h == r.rect.h;
                    (i, if moved { iou(l, r.rect).max(0.5) } else { iou(l, r.rect) })
                })
                .filter(|&(_, s)| s >= 0.3)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            match best {
                Some((i, _)) => {
                    matched[i] = true;
                    let mut t = self.open[i].clone();
                    t.last_frame = frame;
                    t.last_ms = pts_ms;
                    if last(&t) != r.rect {
                        t.boxes.push(TrackBox { frame, rect: r.rect });
                    }
                    next_open.push(t);
                }
                None => {
                    let id = self.next_id;
                    self.next_id += 1;
                    started.push(id);
                    next_open.push(Track {
                        id,
                        category: r.category,
                        first_frame: frame,
                        last_frame: frame,
                        first_ms: pts_ms,
                        last_ms: pts_ms,
                        boxes: vec![TrackBox { frame, rect: r.rect }],
                    });
                }
            }
        }
        for (i, t) in self.open.drain(..).enumerate() {
            if !matched[i] {
                self.closed.push(t);
            }
        }
        self.open = next_open;
        started
    }

    pub fn finish(mut self) -> Vec<Track> {
        self.closed.append(&mut self.open);
        self.closed.sort_by_key(|t| t.id);
        self.closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Detector;

    fn reg(c: Category, r: Rect) -> Region {
        Region {
            rect: r,
            category: c,
            detector: Detector::Text,
            rule: String::new(),
            confidence: 1.0,
        }
    }

    #[test]
    fn follows_boxes_and_splits_on_gaps() {
        let mut t = Tracker::default();
        let a = Rect::new(10, 10, 100, 20);
        assert_eq!(t.update(0, 0, &[reg(Category::Email, a)]), vec![0]);
        assert!(t.update(1, 33, &[reg(Category::Email, a)]).is_empty());
        // scrolled: same size and column, other row
        assert!(t
            .update(2, 66, &[reg(Category::Email, Rect::new(10, 300, 100, 20))])
            .is_empty());
        // a different category at the same place is another track
        assert_eq!(
            t.update(3, 99, &[reg(Category::Phone, Rect::new(10, 300, 100, 20))]),
            vec![1]
        );
        let tracks = t.finish();
        assert_eq!(tracks.len(), 2);
        assert_eq!((tracks[0].first_frame, tracks[0].last_frame), (0, 2));
        assert_eq!(tracks[0].boxes.len(), 2);
    }
}
