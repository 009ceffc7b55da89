//! `briefing publish`: ships a built site to where it is hosted, changing
//! only what changed. Each target lists what it holds, the plan compares that
//! with the site (new, changed, deleted, unchanged), and the target applies the
//! plan, or with `--dry-run` only shows it.
//!
//! Targets: a folder ([`folder`]), a git branch ([`git`]) and S3-compatible
//! object storage ([`s3`]). They sit on top of the pipeline: the site comes
//! from [`crate::pipeline::build`] or from a folder already built.

pub mod folder;
pub mod git;
pub mod s3;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::checksum::sha256_hex;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Failed};
use crate::pipeline::{self, BuildOptions, Progress};

/// Where a site goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Folder(PathBuf),
    /// A branch of the git repository the site is in (`git:gh-pages`).
    Git(String),
    /// `s3://bucket/prefix`.
    S3 {
        bucket: String,
        prefix: String,
    },
}

impl Target {
    pub fn parse(text: &str) -> Result<Target, String> {
        if let Some(branch) = text.strip_prefix("git:") {
            if branch.is_empty()
                || branch.starts_with('-')
                || branch.contains(['~', '^', ':', ' ', '\\'])
            {
                return Err(format!("`{branch}` is not a branch name"));
            }
            Ok(Target::Git(branch.to_string()))
        } else if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err("s3:// needs a bucket: s3://bucket/prefix".into());
            }
            Ok(Target::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
            })
        } else {
            Ok(Target::Folder(PathBuf::from(text)))
        }
    }
}

#[derive(Debug, Clone)]
pub struct PublishOptions {
    pub root: PathBuf,
    pub target: Target,
    /// Publish this folder as it is instead of building.
    pub from: Option<PathBuf>,
    pub base_url: Option<String>,
    pub dry_run: bool,
    /// Remove what the target holds that the site no longer has.
    pub delete: bool,
    /// git: push the branch to this remote.
    pub remote: Option<String>,
    /// git: the commit message.
    pub message: Option<String>,
    /// s3: the endpoint of an S3-compatible service (MinIO, R2, …).
    pub endpoint: Option<String>,
    /// s3: the region.
    pub region: Option<String>,
}

/// One file of the site to publish.
#[derive(Debug, Clone)]
pub struct LocalFile {
    pub full: PathBuf,
    /// SHA-256, hex.
    pub sha256: String,
    pub size: u64,
}

/// The site to publish, by site-relative path.
pub type Files = BTreeMap<String, LocalFile>;

/// What a publish does.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    pub new: Vec<String>,
    pub changed: Vec<String>,
    /// Removed from the target (with `--delete`, or always for git).
    pub deleted: Vec<String>,
    /// In the target but not in the site, left alone (no `--delete`).
    pub stale: Vec<String>,
    pub unchanged: usize,
}

impl Plan {
    /// Compares the site with what the target holds; both map path -> hash.
    pub fn compare(
        local: &BTreeMap<String, String>,
        remote: &BTreeMap<String, String>,
        delete: bool,
    ) -> Plan {
        let mut plan = Plan::default();
        for (path, hash) in local {
            match remote.get(path) {
                None => plan.new.push(path.clone()),
                Some(theirs) if theirs != hash => plan.changed.push(path.clone()),
                Some(_) => plan.unchanged += 1,
            }
        }
        for path in remote.keys().filter(|p| !local.contains_key(*p)) {
            if delete {
                plan.deleted.push(path.clone());
            } else {
                plan.stale.push(path.clone());
            }
        }
        plan
    }

    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.changed.is_empty() && self.deleted.is_empty()
    }

    /// `3 new, 1 changed, 0 deleted, 412 unchanged`.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} new, {} changed, {} deleted, {} unchanged",
            self.new.len(),
            self.changed.len(),
            self.deleted.len(),
            self.unchanged
        );
        if !self.stale.is_empty() {
            text.push_str(&format!(
                " ({} no longer in the site, kept: pass --delete to remove)",
                self.stale.len()
            ));
        }
        text
    }
}

/// Path -> SHA-256 of every file of the site.
pub fn hashes(files: &Files) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(p, f)| (p.clone(), f.sha256.clone()))
        .collect()
}

/// What a publish did.
#[derive(Debug)]
pub struct Published {
    pub plan: Plan,
    /// False for a dry run, or when there was nothing to do.
    pub applied: bool,
    /// Target-specific detail (`commit 1a2b3c4 on gh-pages`).
    pub detail: Option<String>,
}

impl Published {
    /// A plan shown (`--dry-run`) or with nothing to do, not carried out.
    pub fn not_applied(plan: Plan) -> Self {
        Published {
            plan,
            applied: false,
            detail: None,
        }
    }
}

/// Builds (or takes `--from`) and publishes.
pub fn run(options: &PublishOptions, progress: &dyn Progress) -> Result<Published, Failed> {
    let fail = |message: String| Failed(vec![Diagnostic::setting("publish", message)]);
    let config = Config::load(&options.root).map_err(Failed)?;
    // A build of our own lives in a temporary folder for the publish only.
    let scratch;
    let site: PathBuf = match &options.from {
        Some(from) => {
            if !from.is_dir() {
                return Err(fail(format!(
                    "--from {}: no such folder (run briefing build first)",
                    from.display()
                )));
            }
            from.clone()
        }
        None => {
            scratch = tempfile::Builder::new()
                .prefix("briefing-publish-")
                .tempdir()
                .map_err(|e| fail(format!("no temporary folder: {e}")))?;
            let out = scratch.path().join("site");
            let build_options = BuildOptions {
                output: out.clone(),
                base_url: options.base_url.clone(),
                ..BuildOptions::new(&options.root)
            };
            pipeline::build(&build_options, progress)?;
            out
        }
    };
    let files = local_files(&site).map_err(fail)?;
    match &options.target {
        Target::Folder(dir) => folder::publish(&site, &files, dir, options),
        Target::Git(branch) => git::publish(&files, branch, &config, options),
        Target::S3 { bucket, prefix } => {
            let target = s3::S3Target {
                bucket,
                prefix,
                endpoint: options.endpoint.as_deref(),
                region: options.region.as_deref(),
            };
            s3::publish(&files, &target, options, progress)
        }
    }
}

/// Every file of the built site with its hash, in parallel.
pub fn local_files(site: &Path) -> Result<Files, String> {
    let paths: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    paths
        .par_iter()
        .map(|full| {
            let bytes = std::fs::read(full).map_err(|e| format!("{}: {e}", full.display()))?;
            let relative = crate::urls::relative_path(site, full);
            let file = LocalFile {
                full: full.clone(),
                sha256: sha256_hex(&bytes),
                size: bytes.len() as u64,
            };
            Ok((relative, file))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(
            Target::parse("git:gh-pages"),
            Ok(Target::Git("gh-pages".into()))
        );
        assert_eq!(
            Target::parse("s3://bucket/a/b/"),
            Ok(Target::S3 {
                bucket: "bucket".into(),
                prefix: "a/b".into()
            })
        );
        assert_eq!(
            Target::parse("/srv/www"),
            Ok(Target::Folder("/srv/www".into()))
        );
        assert!(Target::parse("git:").is_err());
        assert!(Target::parse("s3://").is_err());
    }

    #[test]
    fn plans_compare_hashes() {
        let local: BTreeMap<String, String> = [("a", "1"), ("b", "2"), ("c", "3")]
            .map(|(p, h)| (p.into(), h.into()))
            .into();
        let remote: BTreeMap<String, String> = [("a", "1"), ("b", "x"), ("d", "4")]
            .map(|(p, h)| (p.into(), h.into()))
            .into();
        let plan = Plan::compare(&local, &remote, false);
        assert_eq!(
            (plan.new, plan.changed, plan.unchanged),
            (vec!["c".to_string()], vec!["b".to_string()], 1)
        );
        assert_eq!(plan.stale, ["d"]);
        let plan = Plan::compare(&local, &remote, true);
        assert_eq!(plan.deleted, ["d"]);
        assert!(plan
            .summary()
            .starts_with("1 new, 1 changed, 1 deleted, 1 unchanged"));
    }
}
