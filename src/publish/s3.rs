//! Publishing to S3-compatible object storage (`s3://bucket/prefix`), through
//! the `object_store` crate. A manifest object beside the site
//! (`.briefing-manifest.json`: path -> SHA-256) says what is there, so only new
//! and changed files are uploaded; the listing of the prefix says what to
//! delete. Each object gets its Content-Type and a Cache-Control that fits:
//! a year for fingerprinted assets, minutes for HTML and feeds. Requests are
//! retried with backoff by `object_store`; files over 8 MiB go up in parts.
//! The manifest is written last, so an interrupted publish, run again,
//! uploads what it had not finished.
//!
//! Credentials come from the standard AWS environment variables
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
//! `AWS_REGION`, `AWS_ENDPOINT_URL`), else from the shared credentials file's
//! profile (`AWS_PROFILE`, default `default`, in `~/.aws/credentials` or
//! `AWS_SHARED_CREDENTIALS_FILE`), else the instance or container role. They
//! are never printed.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload, WriteMultipart,
};

use super::{hashes, Files, Plan, PublishOptions, Published};
use crate::diagnostic::{Diagnostic, Failed};
use crate::media::content_type;
use crate::pipeline::Progress;

/// The object that remembers what was published.
pub const MANIFEST: &str = ".briefing-manifest.json";
/// Files larger than this are uploaded in parts.
pub const MULTIPART_OVER: u64 = 8 * 1024 * 1024;
/// Uploads in flight at once.
const CONCURRENCY: usize = 8;

pub struct S3Target<'a> {
    pub bucket: &'a str,
    pub prefix: &'a str,
    pub endpoint: Option<&'a str>,
    pub region: Option<&'a str>,
}

pub fn publish(
    files: &Files,
    target: &S3Target,
    options: &PublishOptions,
    progress: &dyn Progress,
) -> Result<Published, Failed> {
    let name = format!("s3://{}/{}", target.bucket, target.prefix);
    let fail = |message: String| Failed(vec![Diagnostic::setting(name.as_str(), message)]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start: {e}")))?;
    runtime
        .block_on(run(files, target, options, progress))
        .map_err(fail)
}

async fn run(
    files: &Files,
    target: &S3Target<'_>,
    options: &PublishOptions,
    progress: &dyn Progress,
) -> Result<Published, String> {
    let mut builder = AmazonS3Builder::from_env().with_bucket_name(target.bucket);
    if std::env::var_os("AWS_ACCESS_KEY_ID").is_none() {
        if let Some(profile) = profile_credentials() {
            builder = builder
                .with_access_key_id(profile.key)
                .with_secret_access_key(profile.secret);
            if let Some(token) = profile.token {
                builder = builder.with_token(token);
            }
            if let (None, Some(region)) = (target.region, profile.region) {
                builder = builder.with_region(region);
            }
        }
    }
    if let Some(region) = target.region {
        builder = builder.with_region(region);
    }
    if let Some(endpoint) = target.endpoint {
        builder = builder
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    let store: Arc<dyn ObjectStore> = Arc::new(
        builder
            .build()
            .map_err(|e| format!("cannot configure S3: {e}"))?,
    );
    let key = |path: &str| -> ObjectPath {
        if target.prefix.is_empty() {
            ObjectPath::from(path)
        } else {
            ObjectPath::from(format!("{}/{path}", target.prefix))
        }
    };

    // What the manifest says is there, and what the prefix really holds.
    let manifest: BTreeMap<String, String> = match store.get(&key(MANIFEST)).await {
        Ok(got) => {
            let bytes = got
                .bytes()
                .await
                .map_err(|e| format!("cannot read {MANIFEST}: {e}"))?;
            parse_manifest(&bytes)
                .map_err(|e| format!("{MANIFEST} is not a briefing manifest: {e}"))?
        }
        Err(object_store::Error::NotFound { .. }) => BTreeMap::new(),
        Err(e) => return Err(format!("cannot reach the bucket: {e}")),
    };
    let prefix = (!target.prefix.is_empty()).then(|| ObjectPath::from(target.prefix));
    let listed: Vec<String> = store
        .list(prefix.as_ref())
        .map_ok(|meta| {
            let full = meta.location.to_string();
            match &prefix {
                Some(p) => full
                    .strip_prefix(&format!("{p}/"))
                    .unwrap_or(&full)
                    .to_string(),
                None => full,
            }
        })
        .try_collect()
        .await
        .map_err(|e| format!("cannot list the bucket: {e}"))?;
    // Objects the manifest does not know are compared as "changed"; objects it
    // knows that are gone are new again.
    let mut remote: BTreeMap<String, String> = BTreeMap::new();
    for path in listed.into_iter().filter(|p| p != MANIFEST) {
        let hash = manifest.get(&path).cloned().unwrap_or_default();
        remote.insert(path, hash);
    }
    let local = hashes(files);
    let plan = Plan::compare(&local, &remote, options.delete);
    if options.dry_run || plan.is_empty() {
        return Ok(Published::not_applied(plan));
    }

    let uploads: Vec<&String> = plan.new.iter().chain(&plan.changed).collect();
    let total = uploads.len();
    let done = AtomicUsize::new(0);
    futures::stream::iter(uploads)
        .map(|path| {
            let store = Arc::clone(&store);
            let location = key(path);
            let file = &files[path];
            let done = &done;
            async move {
                let bytes = tokio::fs::read(&file.full)
                    .await
                    .map_err(|e| format!("{path}: {e}"))?;
                let attributes = attributes(path);
                if file.size > MULTIPART_OVER {
                    let options = object_store::PutMultipartOptions {
                        attributes,
                        ..Default::default()
                    };
                    let upload = store
                        .put_multipart_opts(&location, options)
                        .await
                        .map_err(|e| format!("{path}: {e}"))?;
                    let mut writer = WriteMultipart::new_with_chunk_size(upload, 5 * 1024 * 1024);
                    writer.put(bytes.into());
                    writer.finish().await.map_err(|e| format!("{path}: {e}"))?;
                } else {
                    let options = PutOptions {
                        attributes,
                        ..Default::default()
                    };
                    store
                        .put_opts(&location, PutPayload::from(bytes), options)
                        .await
                        .map_err(|e| format!("{path}: {e}"))?;
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress.uploads(n, total);
                Ok::<(), String>(())
            }
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect::<Vec<()>>()
        .await?;
    for path in &plan.deleted {
        store
            .delete(&key(path))
            .await
            .map_err(|e| format!("cannot delete {path}: {e}"))?;
    }
    // Last: the manifest, so that an interrupted publish is finished by the next.
    let manifest = manifest_json(&local).map_err(|e| format!("cannot write {MANIFEST}: {e}"))?;
    store
        .put_opts(
            &key(MANIFEST),
            PutPayload::from(manifest),
            PutOptions {
                attributes: Attributes::from_iter([
                    (Attribute::ContentType, "application/json".to_string()),
                    (Attribute::CacheControl, "no-store".to_string()),
                ]),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| format!("cannot write {MANIFEST}: {e}"))?;
    Ok(Published {
        plan,
        applied: true,
        detail: None,
    })
}

struct ProfileCredentials {
    key: String,
    secret: String,
    token: Option<String>,
    region: Option<String>,
}

/// The keys of the shared credentials file's profile, when it has them.
fn profile_credentials() -> Option<ProfileCredentials> {
    let file = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| std::path::Path::new(&home).join(".aws/credentials"))
        })?;
    let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
    parse_profile(&std::fs::read_to_string(file).ok()?, &profile)
}

fn parse_profile(text: &str, profile: &str) -> Option<ProfileCredentials> {
    let ini = ini::Ini::load_from_str(text).ok()?;
    let section = ini.section(Some(profile))?;
    Some(ProfileCredentials {
        key: section.get("aws_access_key_id")?.to_string(),
        secret: section.get("aws_secret_access_key")?.to_string(),
        token: section.get("aws_session_token").map(str::to_string),
        region: section.get("region").map(str::to_string),
    })
}

/// Content-Type and Cache-Control of a published file.
pub fn attributes(path: &str) -> Attributes {
    Attributes::from_iter([
        (Attribute::ContentType, content_type(path)),
        (Attribute::CacheControl, cache_control(path).to_string()),
    ])
}

/// A year, immutable, for names that carry their content hash; minutes for
/// pages and feeds, which change under the same name; a day for the rest.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    let fingerprinted = parts.len() >= 3
        && parts[parts.len() - 2].len() == 10
        && parts[parts.len() - 2]
            .bytes()
            .all(|b| b.is_ascii_hexdigit());
    if fingerprinted {
        "public, max-age=31536000, immutable"
    } else if name.ends_with(".html")
        || name.ends_with(".xml")
        || name.ends_with(".txt")
        || name.ends_with(".json")
    {
        "public, max-age=300, must-revalidate"
    } else {
        "public, max-age=86400"
    }
}

/// The manifest: `{"version": 1, "files": {path: SHA-256}}`, by serde_json,
/// so any file name (a tab, a newline, a control character) reads back.
fn manifest_json(files: &BTreeMap<String, String>) -> Result<String, String> {
    #[derive(serde::Serialize)]
    struct Manifest<'a> {
        version: u32,
        files: &'a BTreeMap<String, String>,
    }
    let mut json =
        serde_json::to_string_pretty(&Manifest { version: 1, files }).map_err(|e| e.to_string())?;
    json.push('\n');
    Ok(json)
}

fn parse_manifest(bytes: &[u8]) -> Result<BTreeMap<String, String>, String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        files: BTreeMap<String, String>,
    }
    serde_json::from_slice::<Manifest>(bytes)
        .map(|m| m.files)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caching_fits_the_file() {
        assert_eq!(
            cache_control("style.3f2a9c41d0.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("articles/x/index.html"),
            "public, max-age=300, must-revalidate"
        );
        assert_eq!(
            cache_control("atom.xml"),
            "public, max-age=300, must-revalidate"
        );
        assert_eq!(cache_control("favicon.svg"), "public, max-age=86400");
    }

    #[test]
    fn profiles_are_read_from_the_credentials_file() {
        let text = "[default]\naws_access_key_id = A\naws_secret_access_key = B\n\n[desk]\naws_access_key_id = C\naws_secret_access_key = D\nregion = eu-west-1\n";
        let desk = parse_profile(text, "desk").unwrap();
        assert_eq!(
            (
                desk.key.as_str(),
                desk.secret.as_str(),
                desk.region.as_deref()
            ),
            ("C", "D", Some("eu-west-1"))
        );
        assert_eq!(parse_profile(text, "default").unwrap().key, "A");
        assert!(parse_profile(text, "nope").is_none());
    }

    #[test]
    fn manifests_round_trip() {
        let files: BTreeMap<String, String> = [
            ("a \"b\".html", "00ff"),
            ("tab\there.html", "01"),
            ("new\nline.html", "02"),
            ("back\\slash\u{1}.html", "03"),
        ]
        .map(|(p, h)| (p.to_string(), h.to_string()))
        .into();
        let json = manifest_json(&files).unwrap();
        assert_eq!(parse_manifest(json.as_bytes()).unwrap(), files);
        assert!(
            json.starts_with("{\n  \"version\": 1,\n  \"files\": {\n"),
            "{json}"
        );
    }

    #[test]
    fn manifests_written_before_still_read() {
        let old = "{\n  \"version\": 1,\n  \"files\": {\n    \"a.html\": \"00ff\"\n  }\n}\n";
        let files = parse_manifest(old.as_bytes()).unwrap();
        assert_eq!(files["a.html"], "00ff");
    }
}
