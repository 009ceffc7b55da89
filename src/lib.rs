//! `briefing`: a static-site generator for cross-linked AI-industry briefings.
//!
//! The build is one pipeline that reads in one direction:
//! [`load`] (walk `content/`, parse front matter) → [`link`] (resolve ids and
//! links, find mentions, build the graph) → [`render`] (Tera) → [`write`]
//! (the output tree). [`build`] runs it; [`cmd`] wires it to the command line.

pub mod assets;
pub mod checksum;
pub mod cmd;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod frontmatter;
pub mod junk;
pub mod link;
pub mod linkcheck;
pub mod load;
pub mod media;
pub mod model;
pub mod pipeline;
pub mod publish;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
pub mod stages;
pub mod urls;
pub mod write;
