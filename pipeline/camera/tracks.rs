//! Face tracks: a face the detector misses for a frame or two (motion blur, a turned head, a hand
//! in front) stays covered where it was heading. Detections are matched to tracks by overlap; an
//! unmatched track coasts on its last velocity with a growing margin for `keep` frames.

use super::faces::FaceBox;
use crate::frame::Rect;

/// How many consecutive missed frames a track stays covered (~0.3 s at 30 fps).
pub const DEFAULT_KEEP_FRAMES: u32 = 10;

#[derive(Debug, Clone)]
struct Track {
    id: u64,
    face: FaceBox,
    /// Per-frame motion of the centre, smoothed.
    vx: f32,
    vy: f32,
    missed: u32,
    hits: u32,
}

/// A face to cover this frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackedFace {
    pub id: u64,
    /// The head to cover, grown from the detector's box (which spans brows to mouth) to the
    /// forehead, hair, chin and ears; clipped to the frame.
    pub rect: Rect,
    /// Frames since the detector last saw it (0: seen now).
    pub missed: u32,
    pub score: f32,
}

#[derive(Debug, Clone)]
pub struct FaceTracker {
    tracks: Vec<Track>,
    next_id: u64,
    keep: u32,
}

impl Default for FaceTracker {
    fn default() -> Self {
        FaceTracker::new(DEFAULT_KEEP_FRAMES)
    }
}

impl FaceTracker {
    pub fn new(keep: u32) -> Self {
        FaceTracker {
            tracks: Vec::new(),
            next_id: 1,
            keep,
        }
    }

    /// Forgets every track (a cut, a new source).
    pub fn reset(&mut self) {
        self.tracks.clear();
    }

    /// Feeds one frame's detections; returns every face to cover in it.
    pub fn update(&mut self, detections: &[FaceBox], bounds: Rect) -> Vec<TrackedFace> {
        let mut used = vec![false; detections.len()];
        // greedy matching, strongest overlap first
        let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
        for (ti, t) in self.tracks.iter().enumerate() {
            let predicted = shifted(&t.face, t.vx, t.vy);
            for (di, d) in detections.iter().enumerate() {
                let iou = predicted.iou(d);
                let (pcx, pcy) = predicted.center();
                let (dcx, dcy) = d.center();
                let near = ((pcx - dcx).powi(2) + (pcy - dcy).powi(2)).sqrt() < 0.5 * predicted.w().max(d.w());
                if iou > 0.1 || near {
                    pairs.push((iou.max(0.05), ti, di));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut matched = vec![false; self.tracks.len()];
        for (_, ti, di) in pairs {
            if matched[ti] || used[di] {
                continue;
            }
            matched[ti] = true;
            used[di] = true;
            let t = &mut self.tracks[ti];
            let (ocx, ocy) = t.face.center();
            let (ncx, ncy) = detections[di].center();
            t.vx = 0.5 * t.vx + 0.5 * (ncx - ocx);
            t.vy = 0.5 * t.vy + 0.5 * (ncy - ocy);
            t.face = detections[di];
            t.missed = 0;
            t.hits += 1;
        }
        for (ti, t) in self.tracks.iter_mut().enumerate() {
            if !matched[ti] {
                t.missed += 1;
                t.face = shifted(&t.face, t.vx, t.vy);
            }
        }
        let keep = self.keep;
        self.tracks.retain(|t| t.missed <= keep);
        for (di, d) in detections.iter().enumerate() {
            if !used[di] {
                self.tracks.push(Track {
                    id: self.next_id,
                    face: *d,
                    vx: 0.0,
                    vy: 0.0,
                    missed: 0,
                    hits: 1,
                });
                self.next_id += 1;
            }
        }
        self.tracks
            .iter()
            .map(|t| TrackedFace {
                id: t.id,
                rect: head_rect(&t.face, t.missed, bounds),
                missed: t.missed,
                score: t.face.score,
            })
            .filter(|f| !f.rect.is_empty())
            .collect()
    }
}

fn shifted(f: &FaceBox, dx: f32, dy: f32) -> FaceBox {
    FaceBox {
        x0: f.x0 + dx,
        y0: f.y0 + dy,
        x1: f.x1 + dx,
        y1: f.y1 + dy,
        score: f.score,
    }
}

/// The detector's box grown to the whole head; a coasting track grows 15 % per missed frame to
/// cover where the face may have moved.
pub fn head_rect(f: &FaceBox, missed: u32, bounds: Rect) -> Rect {
    let grow = 1.0 + 0.15 * missed as f32;
    let (cx, cy) = f.center();
    let side = f.w().max(f.h());
    let w = side * 1.6 * grow;
    let h = side * 2.0 * grow;
    // the head extends further up (forehead, hair) than down (chin)
    let cy = cy - 0.1 * side;
    Rect::from_corners_f(cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0, bounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(x: f32, y: f32) -> FaceBox {
        FaceBox {
            x0: x,
            y0: y,
            x1: x + 40.0,
            y1: y + 40.0,
            score: 0.9,
        }
    }

    #[test]
    fn a_missed_face_stays_covered_for_a_while_then_goes() {
        let b = Rect::new(0, 0, 640, 480);
        let mut t = FaceTracker::new(3);
        assert_eq!(t.update(&[face(100.0, 100.0)], b).len(), 1);
        assert_eq!(t.update(&[face(110.0, 100.0)], b).len(), 1);
        // missed: coasts to the right and grows
        let out = t.update(&[], b);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].missed, 1);
        let seen = head_rect(&face(110.0, 100.0), 0, b);
        assert!(out[0].rect.x + out[0].rect.w / 2 > seen.x + seen.w / 2);
        assert!(out[0].rect.w > seen.w);
        assert_eq!(t.update(&[], b).len(), 1);
        assert_eq!(t.update(&[], b).len(), 1);
        assert!(t.update(&[], b).is_empty());
    }

    #[test]
    fn two_faces_keep_their_identities() {
        let b = Rect::new(0, 0, 640, 480);
        let mut t = FaceTracker::default();
        let a = t.update(&[face(10.0, 10.0), face(400.0, 10.0)], b);
        let c = t.update(&[face(405.0, 12.0), face(14.0, 10.0)], b);
        let id_at = |v: &[TrackedFace], x: u32| v.iter().find(|f| f.rect.x < x).unwrap().id;
        assert_eq!(id_at(&a, 100), id_at(&c, 100));
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn head_covers_the_detector_box() {
        let b = Rect::new(0, 0, 640, 480);
        let f = face(100.0, 100.0);
        let r = head_rect(&f, 0, b);
        assert!(r.contains(Rect::new(100, 100, 40, 40)));
        assert!(r.y < 100 - 10);
    }
}
