//! Language front ends and the analysis that runs on their common intermediate form.
//!
//! `javascript` and `python` lower source files to [`ir`]; [`analysis`] discovers tool handlers,
//! summarises functions and follows untrusted values to the sinks listed in [`catalog`]. The
//! rules that turn flows into findings live in `skillaudit-rules`.

pub mod analysis;
pub mod behaviour;
pub mod catalog;
pub mod ir;
pub mod javascript;
pub mod python;
pub mod taint;

pub use analysis::{
    analyze, Analysis, AnalysisLimits, Exposure, ExposureKind, Flow, Origin, OriginKind,
    SourceFile, ToolDecl,
};
pub use catalog::SinkKind;
pub use taint::Guards;
