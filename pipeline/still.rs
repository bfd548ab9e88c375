//! The still-image pipeline: analyse a frame, then redact what the policy says, as one call.
//! Models are loaded once, so a directory of screenshots pays the start-up cost once.

use std::time::{Duration, Instant};

use crate::analyze::{Analyzer, StageTimes};
use crate::error::Result;
use crate::frame::Frame;
use crate::models::ModelDir;
use crate::policy::Policy;
use crate::redact::{CpuRedactor, Redactor};
use crate::region::Region;

pub struct StillPipeline {
    analyzer: Analyzer,
    redactor: Box<dyn Redactor>,
    policy: Policy,
}

/// A redacted frame and what was done to it.
pub struct Redacted {
    pub frame: Frame,
    pub regions: Vec<Region>,
    pub times: StageTimes,
    pub redact_time: Duration,
}

impl StillPipeline {
    /// Loads the OCR models from `models`; fails with `ModelMissing` (naming the fetch command)
    /// if they are not installed. Redacts on the CPU; see [`StillPipeline::with_redactor`].
    pub fn new(models: &ModelDir, policy: Policy, threads: usize) -> Result<Self> {
        Ok(Self::with_parts(
            Analyzer::from_models(models, &policy, threads)?,
            Box::new(CpuRedactor),
            policy,
        ))
    }

    /// Replaces the redactor (the GPU one, from [`crate::redact::select`]).
    pub fn with_redactor(mut self, redactor: Box<dyn Redactor>) -> Self {
        self.redactor = redactor;
        self
    }

    pub fn with_parts(analyzer: Analyzer, redactor: Box<dyn Redactor>, policy: Policy) -> Self {
        StillPipeline {
            analyzer,
            redactor,
            policy,
        }
    }

    /// Forgets the lines remembered from earlier frames (see [`Analyzer::forget_lines`]).
    pub fn forget_lines(&mut self) {
        self.analyzer.forget_lines();
    }

    pub fn backend(&self) -> String {
        self.redactor.backend()
    }

    /// Analyses and redacts. Any analysis failure is an error: no frame comes out of a failed
    /// analysis (fail closed).
    pub fn run(&mut self, mut frame: Frame) -> Result<Redacted> {
        let analysis = self.analyzer.analyze(&frame)?;
        let redactions = self.policy.redaction.redactions(&frame, &analysis.regions);
        let t = Instant::now();
        self.redactor.apply(&mut frame, &redactions)?;
        Ok(Redacted {
            frame,
            regions: analysis.regions,
            times: analysis.times,
            redact_time: t.elapsed(),
        })
    }
}
