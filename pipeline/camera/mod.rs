//! Camera privacy: background blur/replacement from person segmentation, face anonymisation with
//! tracks, and whiteboards/papers behind the person. [`CameraFilter`] analyses a frame and
//! redacts it in one call, so a camera frame is never released before its analysis (the live
//! pipeline runs it synchronously per frame; recordings per decoded frame). Any model failure is
//! an error for that frame: the caller covers the whole frame or stops (fail closed).

pub mod faces;
pub mod gate;
pub mod segment;
pub mod tracks;
pub mod whiteboard;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::classify::Category;
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Frame, Rect};
use crate::models::ModelDir;
use crate::ocr::DbDetector;
use crate::redact::{Mask, Redaction, Redactor, Style, StyleName};
use crate::region::{Detector, Region};
use crate::resize::resize_rgba;

pub use faces::{BlazeFace, FaceBox, FaceModel};
pub use gate::CameraGate;
pub use segment::Segmenter;
pub use tracks::{FaceTracker, TrackedFace};
pub use whiteboard::BoardDetector;

/// What happens to the background (everything the segmentation says is not the person).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum Background {
    Blur { radius: u32 },
    Mosaic { block: u32 },
    Replace { image: PathBuf },
}

impl std::str::FromStr for Background {
    type Err = String;
    /// `blur`, `blur:RADIUS`, `mosaic`, `mosaic:BLOCK`, `replace:IMAGE`.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (mode, arg) = s.split_once(':').map_or((s, None), |(m, a)| (m, Some(a)));
        let num = |a: Option<&str>, default: u32| -> std::result::Result<u32, String> {
            match a {
                None => Ok(default),
                Some(v) => v
                    .parse::<u32>()
                    .ok()
                    .filter(|&n| (1..=512).contains(&n))
                    .ok_or_else(|| format!("'{v}' is not a strength between 1 and 512")),
            }
        };
        match mode {
            "blur" => Ok(Background::Blur {
                radius: num(arg, DEFAULT_BACKGROUND_BLUR)?,
            }),
            "mosaic" => Ok(Background::Mosaic { block: num(arg, 24)? }),
            "replace" => match arg {
                Some(p) if !p.is_empty() => Ok(Background::Replace { image: p.into() }),
                _ => Err("replace needs an image: replace:PATH".into()),
            },
            _ => Err(format!(
                "unknown background mode '{mode}' (blur[:RADIUS], mosaic[:BLOCK], replace:IMAGE)"
            )),
        }
    }
}

/// Default background blur radius at 720p; scaled with the frame height.
pub const DEFAULT_BACKGROUND_BLUR: u32 = 24;

#[derive(Debug, Clone)]
pub struct CameraConfig {
    /// How faces are covered; `None`: faces are not looked for.
    pub faces: Option<StyleName>,
    pub face_model: FaceModel,
    /// Leave the largest face (the presenter) uncovered.
    pub keep_presenter: bool,
    pub background: Option<Background>,
    /// Cover whiteboards, papers and screens (text-like areas and marked bright boards).
    pub whiteboards: bool,
    /// Run the whiteboard detector on every n-th frame; boards found stay covered in between
    /// (boards do not move; the background blur covers whatever appears meanwhile).
    pub whiteboard_every: u32,
}

impl Default for CameraConfig {
    fn default() -> Self {
        CameraConfig {
            faces: None,
            face_model: FaceModel::Back,
            keep_presenter: false,
            background: None,
            whiteboards: false,
            whiteboard_every: 1,
        }
    }
}

impl CameraConfig {
    pub fn is_active(&self) -> bool {
        self.faces.is_some() || self.background.is_some() || self.whiteboards
    }
}

/// Time spent per stage on the last frame.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CameraTimes {
    pub faces: Duration,
    pub segment: Duration,
    pub whiteboards: Duration,
    pub composite: Duration,
    pub redact: Duration,
}

pub struct CameraFilter {
    cfg: CameraConfig,
    faces: Option<BlazeFace>,
    tracker: FaceTracker,
    segmenter: Option<Segmenter>,
    boards: Option<BoardDetector>,
    board_rects: Vec<Rect>,
    frame_index: u64,
    replacement: Option<Frame>,
    replacement_source: Option<Frame>,
    last_mask: Option<Mask>,
    pub times: CameraTimes,
}

impl CameraFilter {
    /// Loads the models the configuration needs (a missing one is a `ModelMissing` error that
    /// names the fetch command).
    pub fn new(models: &ModelDir, cfg: CameraConfig, threads: usize) -> Result<Self> {
        // the models run side by side (see `process`): share the threads between them
        let threads = if cfg.faces.is_some() && (cfg.background.is_some() || cfg.whiteboards) {
            (threads / 2).max(1)
        } else {
            threads
        };
        let faces = match cfg.faces {
            Some(_) => Some(BlazeFace::new(models, cfg.face_model, threads)?),
            None => None,
        };
        let segmenter = match cfg.background {
            Some(_) => Some(Segmenter::new(models, threads)?),
            None => None,
        };
        let boards = if cfg.whiteboards {
            Some(BoardDetector::new(DbDetector::new(models, threads)?))
        } else {
            None
        };
        let replacement_source = match &cfg.background {
            Some(Background::Replace { image }) => Some(crate::imageio::load(image)?),
            _ => None,
        };
        Ok(CameraFilter {
            cfg,
            faces,
            tracker: FaceTracker::default(),
            segmenter,
            boards,
            board_rects: Vec::new(),
            frame_index: 0,
            replacement: None,
            replacement_source,
            last_mask: None,
            times: CameraTimes::default(),
        })
    }

    pub fn config(&self) -> &CameraConfig {
        &self.cfg
    }

    /// The background mask of the last processed frame (255 = background), if segmenting.
    pub fn last_background_mask(&self) -> Option<&Mask> {
        self.last_mask.as_ref()
    }

    /// Forgets tracks and smoothing (a new source, a cut).
    pub fn reset(&mut self) {
        self.tracker.reset();
        if let Some(s) = &mut self.segmenter {
            s.reset();
        }
        self.board_rects.clear();
        self.frame_index = 0;
    }

    /// Analyses `frame` and redacts it in place; returns what was covered (faces, boards). On
    /// error the frame is left partly processed and must not be shown.
    pub fn process(&mut self, frame: &mut Frame, redactor: &mut dyn Redactor) -> Result<Vec<Region>> {
        let bounds = frame.bounds();
        let mut regions = Vec::new();
        // analysis on the untouched frame: the face detector beside segmentation and the board
        // detector (each model on one thread is faster on two cores than both in turn on two)
        let timed = |f: &mut dyn FnMut() -> Result<()>| {
            let t = Instant::now();
            f().map(|_| t.elapsed())
        };
        let run_boards = self.frame_index.is_multiple_of(self.cfg.whiteboard_every.max(1) as u64);
        let (faces, segmenter, boards) = (&mut self.faces, &mut self.segmenter, &mut self.boards);
        let (mut found, mut background, mut board_rects) = (Vec::new(), None, None);
        let frame_ref: &Frame = frame;
        let (face_time, (seg_time, board_time)) = rayon::join(
            || {
                timed(&mut || {
                    if let Some(det) = faces.as_mut() {
                        found = det.detect(frame_ref)?;
                    }
                    Ok(())
                })
            },
            || {
                let seg = timed(&mut || {
                    if let Some(s) = segmenter.as_mut() {
                        background = Some(s.background_mask(frame_ref)?);
                    }
                    Ok(())
                });
                let boards = timed(&mut || {
                    if let (Some(b), true) = (boards.as_mut(), run_boards) {
                        board_rects = Some(b.detect(frame_ref)?);
                    }
                    Ok(())
                });
                (seg, boards)
            },
        );
        self.times.faces = face_time?;
        self.times.segment = seg_time?;
        self.times.whiteboards = board_time?;
        let tracked = if self.faces.is_some() {
            self.tracker.update(&found, bounds)
        } else {
            Vec::new()
        };
        if let Some(r) = board_rects {
            self.board_rects = r;
        }
        self.frame_index += 1;

        let t = Instant::now();
        if let (Some(mask), Some(bg)) = (&background, self.cfg.background.clone()) {
            self.composite_background(frame, &bg, mask, redactor)?;
        }
        self.times.composite = t.elapsed();

        let t = Instant::now();
        let presenter = if self.cfg.keep_presenter {
            tracked.iter().max_by_key(|f| f.rect.area()).map(|f| f.id)
        } else {
            None
        };
        let mut redactions = Vec::new();
        let board_style = Style::Mosaic {
            block: (frame.height() / 24).max(12),
        };
        for r in &self.board_rects {
            regions.push(region(*r, Category::Whiteboard, Detector::Whiteboard, 1.0));
        }
        match (&background, self.board_rects.is_empty()) {
            // with a person mask, a board is covered only where it is background: the person
            // standing in front of it stays as they are
            (Some(mask), false) => {
                let boards = Mask::from_rects(frame.width(), frame.height(), &self.board_rects, 0);
                let both: Vec<u8> = boards
                    .alpha()
                    .iter()
                    .zip(mask.alpha())
                    .map(|(&b, &m)| b.min(m))
                    .collect();
                redactor.composite(frame, board_style, &Mask::new(frame.width(), frame.height(), both)?)?;
            }
            (None, false) => redactions.extend(self.board_rects.iter().map(|&rect| Redaction {
                rect,
                style: board_style,
            })),
            _ => {}
        }
        if let Some(style) = self.cfg.faces {
            for f in tracked.iter().filter(|f| Some(f.id) != presenter) {
                regions.push(region(f.rect, Category::Face, Detector::Face, f.score));
                redactions.push(Redaction {
                    rect: f.rect,
                    style: face_style(style, f.rect),
                });
            }
        }
        if let Some(p) = presenter.and_then(|id| tracked.iter().find(|f| f.id == id)) {
            // whatever else covers the presenter's face, it is theirs to show
            redactions.retain(|r| !p.rect.contains(r.rect));
        }
        redactor.apply(frame, &redactions)?;
        self.times.redact = t.elapsed();
        self.last_mask = background;
        Ok(regions)
    }

    fn composite_background(
        &mut self,
        frame: &mut Frame,
        bg: &Background,
        mask: &Mask,
        redactor: &mut dyn Redactor,
    ) -> Result<()> {
        match bg {
            Background::Blur { radius } => {
                // the strength is given for 720p; keep the look at other sizes
                let r = (*radius as u64 * frame.height() as u64 / 720).max(1) as u32;
                redactor.composite(frame, Style::Blur { radius: r }, mask)
            }
            Background::Mosaic { block } => {
                let b = (*block as u64 * frame.height() as u64 / 720).max(2) as u32;
                redactor.composite(frame, Style::Mosaic { block: b }, mask)
            }
            Background::Replace { .. } => {
                let fits = self
                    .replacement
                    .as_ref()
                    .is_some_and(|r| (r.width(), r.height()) == (frame.width(), frame.height()));
                if !fits {
                    let src = self
                        .replacement_source
                        .as_ref()
                        .ok_or_else(|| Error::new(ErrorKind::Usage, "no replacement image loaded"))?;
                    let mut resizer = fast_image_resize::Resizer::new();
                    let data = resize_rgba(&mut resizer, src, cover_crop(src, frame), frame.width(), frame.height())?;
                    self.replacement = Some(Frame::new(frame.width(), frame.height(), data)?);
                }
                let layer = self.replacement.as_ref().expect("made above");
                crate::redact::blend(frame, layer, mask)
            }
        }
    }
}

fn region(rect: Rect, category: Category, detector: Detector, confidence: f32) -> Region {
    Region {
        rect,
        category,
        detector,
        rule: category.as_str().into(),
        confidence,
    }
}

/// Faces are covered coarsely whatever the style: a mosaic of about five cells across the head
/// (a face recogniser needs far more), a blur of a third of the head.
pub fn face_style(style: StyleName, head: Rect) -> Style {
    let side = head.w.max(head.h);
    match style {
        StyleName::Solid => Style::Solid { color: [0, 0, 0] },
        StyleName::Mosaic => Style::Mosaic {
            block: (side / 5).max(8),
        },
        StyleName::Blur => Style::Blur {
            radius: (side / 3).max(8),
        },
    }
}

/// The centred crop of `src` with the frame's aspect ratio (the replacement fills the frame).
fn cover_crop(src: &Frame, frame: &Frame) -> Rect {
    let (sw, sh) = (src.width() as u64, src.height() as u64);
    let (fw, fh) = (frame.width() as u64, frame.height() as u64);
    if sw * fh > sh * fw {
        let w = (sh * fw / fh).max(1) as u32;
        Rect::new((src.width() - w) / 2, 0, w, src.height())
    } else {
        let h = (sw * fh / fw).max(1) as u32;
        Rect::new(0, (src.height() - h) / 2, src.width(), h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_modes_parse() {
        assert_eq!(
            "blur".parse::<Background>().unwrap(),
            Background::Blur {
                radius: DEFAULT_BACKGROUND_BLUR
            }
        );
        assert_eq!(
            "blur:40".parse::<Background>().unwrap(),
            Background::Blur { radius: 40 }
        );
        assert_eq!(
            "mosaic".parse::<Background>().unwrap(),
            Background::Mosaic { block: 24 }
        );
        assert!(matches!(
            "replace:a.png".parse::<Background>().unwrap(),
            Background::Replace { .. }
        ));
        assert!("replace".parse::<Background>().is_err());
        assert!("blur:0".parse::<Background>().is_err());
        assert!("sepia".parse::<Background>().is_err());
    }

    #[test]
    fn face_mosaic_is_coarse() {
        match face_style(StyleName::Mosaic, Rect::new(0, 0, 200, 250)) {
            Style::Mosaic { block } => assert_eq!(block, 50),
            s => panic!("{s:?}"),
        }
    }

    #[test]
    fn replacement_crop_keeps_the_aspect() {
        let src = Frame::filled(400, 400, [0, 0, 0, 255]).unwrap();
        let frame = Frame::filled(160, 90, [0, 0, 0, 255]).unwrap();
        assert_eq!(cover_crop(&src, &frame), Rect::new(0, 87, 400, 225));
    }
}
