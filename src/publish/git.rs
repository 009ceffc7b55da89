//! Publishing to a git branch (`briefing publish git:gh-pages`): commits the
//! built site as the whole tree of that branch of the repository the site is
//! in, the way GitHub, Codeberg and GitLab Pages are fed.
//!
//! It runs the real `git`, and only its plumbing: blobs are written with
//! `hash-object`, the tree is made in a temporary index with `update-index`
//! and `write-tree`, the commit with `commit-tree`, and the branch moved with
//! `update-ref`. The working tree, the real index and the checked-out branch
//! are never touched. No commit is made when the tree did not change.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{Files, Plan, PublishOptions, Published};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Failed};

pub fn publish(
    files: &Files,
    branch: &str,
    config: &Config,
    options: &PublishOptions,
) -> Result<Published, Failed> {
    let fail =
        |message: String| Failed(vec![Diagnostic::setting(format!("git:{branch}"), message)]);
    let repo = &options.root;
    git(repo, &["rev-parse", "--git-dir"], None, &[])
        .map_err(|_| fail(format!("{} is not in a git repository", repo.display())))?;
    if git(repo, &["symbolic-ref", "-q", "--short", "HEAD"], None, &[])
        .is_ok_and(|head| head.trim() == branch)
    {
        return Err(fail(format!(
            "`{branch}` is the checked-out branch; publishing would replace your working files' branch: check out another branch or publish to another one"
        )));
    }
    let reference = format!("refs/heads/{branch}");
    let parent = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "-q",
            &format!("{reference}^{{commit}}"),
        ],
        None,
        &[],
    )
    .ok()
    .map(|s| s.trim().to_string());

    // The site's files, plus what Pages hosts want.
    let mut extras: Vec<(String, Vec<u8>)> = vec![(".nojekyll".into(), Vec::new())];
    if let Some(cname) = &config.cname {
        extras.push(("CNAME".into(), format!("{cname}\n").into_bytes()));
    }
    let paths: Vec<&String> = files
        .keys()
        .filter(|p| !extras.iter().any(|(e, _)| e == *p))
        .collect();

    // Blob ids of every file, as git would store them (not written yet).
    let list: String = paths
        .iter()
        .map(|p| format!("{}\n", files[*p].full.display()))
        .collect();
    let hashes = git(
        repo,
        &["hash-object", "--no-filters", "--stdin-paths"],
        Some(list.as_bytes()),
        &[],
    )
    .map_err(fail)?;
    let mut local: BTreeMap<String, String> = paths
        .iter()
        .map(|p| (*p).clone())
        .zip(hashes.lines().map(str::to_string))
        .collect();
    for (path, bytes) in &extras {
        let blob = git(
            repo,
            &["hash-object", "--no-filters", "--stdin"],
            Some(bytes),
            &[],
        )
        .map_err(fail)?;
        local.insert(path.clone(), blob.trim().to_string());
    }

    let remote = match &parent {
        Some(commit) => tree_of(repo, commit).map_err(fail)?,
        None => BTreeMap::new(),
    };
    // The branch holds the site and nothing else: what is gone is deleted.
    let plan = Plan::compare(&local, &remote, true);
    if options.dry_run || plan.is_empty() {
        let detail = plan.is_empty().then(|| format!("`{branch}` is up to date"));
        return Ok(Published {
            plan,
            applied: false,
            detail,
        });
    }

    // Write the blobs, then the tree, in an index of our own.
    git(
        repo,
        &["hash-object", "-w", "--no-filters", "--stdin-paths"],
        Some(list.as_bytes()),
        &[],
    )
    .map_err(fail)?;
    for (_, bytes) in &extras {
        git(
            repo,
            &["hash-object", "-w", "--no-filters", "--stdin"],
            Some(bytes),
            &[],
        )
        .map_err(fail)?;
    }
    let scratch = tempfile::tempdir().map_err(|e| fail(format!("no temporary folder: {e}")))?;
    let index = scratch.path().join("index");
    let index_env = [("GIT_INDEX_FILE", index.to_string_lossy().into_owned())];
    let entries: String = local
        .iter()
        .map(|(path, blob)| format!("100644 blob {blob}\t{path}\n"))
        .collect();
    git(
        repo,
        &["update-index", "--add", "--index-info"],
        Some(entries.as_bytes()),
        &index_env,
    )
    .map_err(fail)?;
    let tree = git(repo, &["write-tree"], None, &index_env).map_err(fail)?;
    let tree = tree.trim();

    let message = options
        .message
        .clone()
        .unwrap_or_else(|| format!("Publish site: {}", plan.summary()));
    let mut commit_args = vec!["commit-tree", tree, "-m", &message];
    if let Some(parent) = &parent {
        commit_args.extend(["-p", parent.as_str()]);
    }
    let identity = identity(repo);
    let commit = git(repo, &commit_args, None, &identity).map_err(fail)?;
    let commit = commit.trim().to_string();
    let old = parent.clone().unwrap_or_else(|| "0".repeat(40));
    git(
        repo,
        &[
            "update-ref",
            "-m",
            "briefing publish",
            &reference,
            &commit,
            &old,
        ],
        None,
        &[],
    )
    .map_err(fail)?;

    let mut detail = format!("commit {} on {branch}", &commit[..commit.len().min(12)]);
    if let Some(remote) = &options.remote {
        git(
            repo,
            &["push", remote, &format!("{reference}:{reference}")],
            None,
            &[],
        )
        .map_err(|e| {
            fail(format!(
                "committed {commit}, but the push to {remote} failed: {e}"
            ))
        })?;
        detail.push_str(&format!(", pushed to {remote}"));
    }
    Ok(Published {
        plan,
        applied: true,
        detail: Some(detail),
    })
}

/// Path -> blob id of every file in a commit's tree.
fn tree_of(repo: &Path, commit: &str) -> Result<BTreeMap<String, String>, String> {
    let listing = git(
        repo,
        &["ls-tree", "-r", "-z", "--full-tree", commit],
        None,
        &[],
    )?;
    Ok(listing
        .split('\0')
        .filter_map(|entry| {
            let (meta, path) = entry.split_once('\t')?;
            let blob = meta.split_whitespace().nth(2)?;
            Some((path.to_string(), blob.to_string()))
        })
        .collect())
}

/// A committer for `commit-tree` when the repository has none configured.
fn identity(repo: &Path) -> Vec<(&'static str, String)> {
    if git(repo, &["var", "GIT_COMMITTER_IDENT"], None, &[]).is_ok() {
        return Vec::new();
    }
    let name = "briefing".to_string();
    let email = "briefing@localhost".to_string();
    vec![
        ("GIT_AUTHOR_NAME", name.clone()),
        ("GIT_AUTHOR_EMAIL", email.clone()),
        ("GIT_COMMITTER_NAME", name),
        ("GIT_COMMITTER_EMAIL", email),
    ]
}

/// Runs `git ARGS` in `repo`; its standard output, or its error message.
fn git(
    repo: &Path,
    args: &[&str],
    input: Option<&[u8]>,
    env: &[(&str, String)],
) -> Result<String, String> {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(repo)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run git: {e} (is git installed?)"))?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(input)
            .map_err(|e| format!("git {}: {e}", args[0]))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("git {}: {e}", args[0]))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!("git {} failed: {}", args[0], stderr.trim()))
    }
}
