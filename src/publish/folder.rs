//! Publishing to a folder (`briefing publish /srv/www/briefing`): mirrors
//! the site into it, copying only new and changed files. All new bytes are
//! first copied into a hidden staging folder inside the target; only when
//! every copy worked are they renamed into place, so an error leaves the
//! folder as it was.

use std::collections::BTreeMap;
use std::path::Path;

use super::{hashes, Files, Plan, PublishOptions, Published};
use crate::checksum::sha256_hex;
use crate::diagnostic::{Diagnostic, Failed};

const STAGING: &str = ".briefing-publish";

pub fn publish(
    site: &Path,
    files: &Files,
    dir: &Path,
    options: &PublishOptions,
) -> Result<Published, Failed> {
    let fail = |message: String| Failed(vec![Diagnostic::error(dir, message)]);
    let site_abs = std::path::absolute(site).unwrap_or(site.to_path_buf());
    let dir_abs = std::path::absolute(dir).unwrap_or(dir.to_path_buf());
    if dir_abs.starts_with(&site_abs) || site_abs.starts_with(&dir_abs) {
        return Err(fail("the target folder and the site folder overlap".into()));
    }
    let root_abs = std::path::absolute(&options.root).unwrap_or(options.root.clone());
    if root_abs.starts_with(&dir_abs) {
        return Err(fail(
            "refusing to publish over the folder that holds the site's sources".into(),
        ));
    }

    let remote = existing(dir).map_err(fail)?;
    let local = hashes(files);
    let plan = Plan::compare(&local, &remote, options.delete);
    if options.dry_run || plan.is_empty() {
        return Ok(Published::not_applied(plan));
    }

    std::fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create: {e}")))?;
    let staging = dir.join(format!("{STAGING}-{}", std::process::id()));
    let staged = stage(files, &plan, &staging);
    if let Err(message) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(fail(message));
    }
    // Every byte is in place beside the target: move the files in.
    for path in plan.new.iter().chain(&plan.changed) {
        let to = dir.join(path);
        let moved = to
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::rename(staging.join(path), &to));
        if let Err(e) = moved {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(fail(format!("cannot put {path} in place: {e}")));
        }
    }
    let _ = std::fs::remove_dir_all(&staging);
    for path in &plan.deleted {
        let full = dir.join(path);
        std::fs::remove_file(&full).map_err(|e| fail(format!("cannot remove {path}: {e}")))?;
        // Empty folders left behind go too.
        let mut parent = full.parent();
        while let Some(folder) = parent.filter(|p| *p != dir) {
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
            parent = folder.parent();
        }
    }
    Ok(Published {
        plan,
        applied: true,
        detail: None,
    })
}

fn stage(files: &Files, plan: &Plan, staging: &Path) -> Result<(), String> {
    for path in plan.new.iter().chain(&plan.changed) {
        let to = staging.join(path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot stage {path}: {e}"))?;
        }
        std::fs::copy(&files[path].full, &to).map_err(|e| format!("cannot copy {path}: {e}"))?;
    }
    Ok(())
}

/// What the folder holds now, by path, with hashes; nothing when it does not exist.
fn existing(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut found = BTreeMap::new();
    if !dir.exists() {
        return Ok(found);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| e.to_string())?;
        let relative = crate::urls::relative_path(dir, entry.path());
        if !entry.file_type().is_file() || relative.starts_with(STAGING) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| format!("{relative}: {e}"))?;
        found.insert(relative, sha256_hex(&bytes));
    }
    Ok(found)
}
