//! The loopback registry of the engine's tests (a route-table HTTP server, `.tar.gz` building,
//! npm packages published into it), shared rather than copied.
#![allow(dead_code)]

#[path = "../../../skillaudit-engine/tests/common/mod.rs"]
mod registry;

pub use registry::*;
