//! plansite: a static site generator for bilingual plan-tracking transparency sites.
//!
//! The pipeline reads top to bottom: load the site root, [`plan::parse`] the seed,
//! load registries and progress files, validate (collecting every diagnostic),
//! build the immutable site model, render it to `path → bytes`, write it.

pub mod annotations;
pub mod archive;
pub mod commands;
pub mod config;
pub mod content;
pub mod diag;
pub mod fixed;
pub mod hex;
pub mod i18n;
pub mod input;
pub mod memory;
pub mod model;
pub mod output;
pub mod packet;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod routes;
pub mod server;
pub mod status;
