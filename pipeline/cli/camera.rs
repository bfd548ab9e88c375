//! The camera-privacy options shared by `scrim redact` and `scrim live`.

use scrim::camera::{Background, CameraConfig, FaceModel};
use scrim::redact::StyleName;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct CameraArgs {
    /// Camera: cover faces (bystanders, people walking by) with this style; tracked, so a face
    /// the detector misses for a few frames stays covered
    #[arg(long, value_enum, value_name = "STYLE", help_heading = "Camera privacy")]
    pub faces: Option<StyleName>,
    /// Camera: leave the largest face (the presenter) uncovered
    #[arg(long, help_heading = "Camera privacy")]
    pub keep_presenter: bool,
    /// Camera: face detector (BlazeFace back [default]: webcam frames with bystanders; front:
    /// faces filling a selfie; centerface: small and turned faces, slower)
    #[arg(long, value_enum, help_heading = "Camera privacy")]
    pub face_model: Option<FaceModel>,
    /// Camera: blur[:RADIUS], mosaic[:BLOCK] or replace:IMAGE everything but the person
    /// (strengths are for 720p and scale with the frame)
    #[arg(long, value_name = "MODE", help_heading = "Camera privacy")]
    pub background: Option<Background>,
    /// Camera: cover whiteboards, papers and screens (text-like areas and marked bright boards),
    /// readable or not
    #[arg(long, help_heading = "Camera privacy")]
    pub whiteboards: bool,
    /// Camera: look for whiteboards every N frames (boards found stay covered in between; a board
    /// that appears in between shows for up to N-1 frames unless the background is blurred) [default: 1]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=300), help_heading = "Camera privacy")]
    pub whiteboard_every: Option<u32>,
}

impl CameraArgs {
    /// The policy file's `[camera]` settings with the flags given on top.
    pub fn config(&self, policy: &CameraConfig) -> CameraConfig {
        let mut c = policy.clone();
        if self.faces.is_some() {
            c.faces = self.faces;
        }
        if let Some(m) = self.face_model {
            c.face_model = m;
        }
        c.keep_presenter |= self.keep_presenter;
        if self.background.is_some() {
            c.background = self.background.clone();
        }
        c.whiteboards |= self.whiteboards;
        if let Some(n) = self.whiteboard_every {
            c.whiteboard_every = n;
        }
        c
    }
}
