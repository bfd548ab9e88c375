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
    #[arg(long, requires = "faces", help_heading = "Camera privacy")]
    pub keep_presenter: bool,
    /// Camera: face detector (BlazeFace front: faces filling a selfie; back: smaller, farther faces)
    #[arg(long, value_enum, default_value_t = FaceModel::Back, help_heading = "Camera privacy")]
    pub face_model: FaceModel,
    /// Camera: blur[:RADIUS], mosaic[:BLOCK] or replace:IMAGE everything but the person
    /// (strengths are for 720p and scale with the frame)
    #[arg(long, value_name = "MODE", help_heading = "Camera privacy")]
    pub background: Option<Background>,
    /// Camera: cover whiteboards, papers and screens (text-like areas and marked bright boards),
    /// readable or not
    #[arg(long, help_heading = "Camera privacy")]
    pub whiteboards: bool,
    /// Camera: look for whiteboards every N frames (boards found stay covered in between)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=300), help_heading = "Camera privacy")]
    pub whiteboard_every: u32,
}

impl CameraArgs {
    pub fn config(&self) -> CameraConfig {
        CameraConfig {
            faces: self.faces,
            face_model: self.face_model,
            keep_presenter: self.keep_presenter,
            background: self.background.clone(),
            whiteboards: self.whiteboards,
            whiteboard_every: self.whiteboard_every,
            ..CameraConfig::default()
        }
    }
}
