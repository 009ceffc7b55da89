//! `briefing publish s3://…` against a real S3-compatible server (s3s-fs,
//! which checks request signatures) started on loopback: uploads only what
//! changed, sets Content-Type and Cache-Control, deletes with --delete,
//! uploads big files in parts, and finishes an interrupted publish. Skips,
//! saying why, when s3s-fs is not installed.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{Attribute, ObjectStore, ObjectStoreExt};

const ACCESS: &str = "briefing-test-key";
const SECRET: &str = "briefing-test-secret-do-not-print";

struct S3Server {
    child: Child,
    endpoint: String,
    root: tempfile::TempDir,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(binary: &Path) -> S3Server {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("bucket")).unwrap();
    let port = free_port();
    let child = Command::new(binary)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--access-key",
            ACCESS,
            "--secret-key",
            SECRET,
        ])
        .arg(root.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("s3s-fs starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "s3s-fs did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    S3Server {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
        root,
    }
}

/// `briefing publish s3://bucket/site` against `server`, with no AWS
/// settings from the environment of the test run.
fn publish_command(dir: &Path, server: &S3Server) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing"));
    command
        .args([
            "publish",
            "s3://bucket/site",
            "--endpoint",
            &server.endpoint,
        ])
        .current_dir(dir);
    for name in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_SHARED_CREDENTIALS_FILE",
    ] {
        command.env_remove(name);
    }
    command
}

fn publish(dir: &Path, server: &S3Server, extra: &[&str]) -> std::process::Output {
    publish_command(dir, server)
        .args(["--region", "us-east-1"])
        .args(extra)
        .env("AWS_ACCESS_KEY_ID", ACCESS)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .output()
        .expect("briefing runs")
}

fn ok(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

fn store(server: &S3Server) -> impl ObjectStore {
    AmazonS3Builder::new()
        .with_bucket_name("bucket")
        .with_region("us-east-1")
        .with_endpoint(&server.endpoint)
        .with_allow_http(true)
        .with_access_key_id(ACCESS)
        .with_secret_access_key(SECRET)
        .build()
        .expect("client")
}

#[test]
fn publishes_to_s3_uploading_only_what_changed() {
    let Some(binary) = s3s_fs() else { return };
    let server = start(&binary);
    let site = site("basic");
    let dir = site.path();
    // A big file goes up in parts.
    std::fs::create_dir_all(dir.join("static")).unwrap();
    let big: Vec<u8> = (0..12 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(dir.join("static/report.pdf"), &big).unwrap();

    let first = ok(publish(dir, &server, &[]));
    assert!(
        first.contains(" 0 changed, 0 deleted, 0 unchanged: published"),
        "{first}"
    );
    let second = ok(publish(dir, &server, &[]));
    assert!(
        second.contains(" 0 new, 0 changed, 0 deleted,") && second.contains("nothing to publish"),
        "{second}"
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = store(&server);
    runtime.block_on(async {
        let page = client
            .get(&ObjectPath::from("site/articles/llama-3-1/index.html"))
            .await
            .unwrap();
        assert_eq!(
            page.attributes
                .get(&Attribute::ContentType)
                .map(|v| v.as_ref()),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(
            page.attributes
                .get(&Attribute::CacheControl)
                .map(|v| v.as_ref()),
            Some("public, max-age=300, must-revalidate")
        );
        let pdf = client
            .get(&ObjectPath::from("site/report.pdf"))
            .await
            .unwrap();
        assert!(
            pdf.meta.e_tag.as_deref().unwrap_or_default().contains('-'),
            "multipart ETag: {:?}",
            pdf.meta.e_tag
        );
        assert_eq!(pdf.bytes().await.unwrap().len(), big.len());
    });
    let css = std::fs::read_dir(server.root.path().join("bucket/site"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("style.") && n.ends_with(".css"))
        .expect("the stylesheet");
    runtime.block_on(async {
        let got = client
            .get(&ObjectPath::from(format!("site/{css}")))
            .await
            .unwrap();
        assert_eq!(
            got.attributes
                .get(&Attribute::CacheControl)
                .map(|v| v.as_ref()),
            Some("public, max-age=31536000, immutable")
        );
    });

    // An edit uploads the pages that show it, nothing else.
    let article = dir.join("content/articles/2024-05-13-gpt-4o.md");
    std::fs::write(
        &article,
        read(&article).replace("OpenAI launches GPT-4o", "OpenAI ships GPT-4o"),
    )
    .unwrap();
    let dry = ok(publish(dir, &server, &["--dry-run"]));
    assert!(dry.contains("changed  articles/gpt-4o/index.html"), "{dry}");
    let third = ok(publish(dir, &server, &[]));
    // Only the search index has new files: they are named by their content.
    let new = planned(&dry, "new");
    assert!(
        !new.is_empty() && new.iter().all(|p| p.starts_with("pagefind/")),
        "{dry}"
    );
    assert!(!third.contains(" 0 changed"), "{third}");
    let object = server
        .root
        .path()
        .join("bucket/site/articles/gpt-4o/index.html");
    assert!(read(&object).contains("OpenAI ships GPT-4o"));

    // Stray objects go only with --delete.
    std::fs::write(server.root.path().join("bucket/site/stray.html"), "old").unwrap();
    // (So do the search index's files from before the edit.)
    let kept = ok(publish(dir, &server, &["--dry-run"]));
    let stale = planned(&kept, "kept");
    assert!(stale.contains(&"stray.html"), "{kept}");
    assert!(
        stale
            .iter()
            .all(|p| *p == "stray.html" || p.starts_with("pagefind/")),
        "{kept}"
    );
    let deleted = ok(publish(dir, &server, &["--delete"]));
    assert!(
        deleted.contains(&format!(" {} deleted", stale.len())),
        "{deleted}"
    );
    assert!(!server.root.path().join("bucket/site/stray.html").exists());

    // An interrupted publish (its manifest never written) is finished by the next.
    std::fs::remove_file(
        server
            .root
            .path()
            .join("bucket/site/.briefing-manifest.json"),
    )
    .unwrap();
    let resumed = ok(publish(dir, &server, &[]));
    assert!(
        resumed.contains(" 0 new,") && resumed.contains("published"),
        "{resumed}"
    );
    let after = ok(publish(dir, &server, &[]));
    assert!(after.contains("nothing to publish"), "{after}");
}

#[test]
fn bad_credentials_are_a_clear_error_that_does_not_print_them() {
    let Some(binary) = s3s_fs() else { return };
    let server = start(&binary);
    let site = site("basic");
    let output = publish_command(site.path(), &server)
        .args(["--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", ACCESS)
        .env("AWS_SECRET_ACCESS_KEY", "not-the-secret")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let all = stdout(&output) + &stderr(&output);
    assert!(
        all.contains("error: s3://bucket/site: cannot reach the bucket"),
        "{all}"
    );
    assert!(
        !all.contains("not-the-secret") && !all.contains(SECRET),
        "a secret was printed"
    );
}

#[test]
fn credentials_can_come_from_a_profile() {
    let Some(binary) = s3s_fs() else { return };
    let server = start(&binary);
    let site = site("basic");
    let credentials = site.path().join("credentials");
    std::fs::write(
        &credentials,
        format!("[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n[desk]\naws_access_key_id = {ACCESS}\naws_secret_access_key = {SECRET}\nregion = us-east-1\n"),
    )
    .unwrap();
    let output = publish_command(site.path(), &server)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env("AWS_PROFILE", "desk")
        .output()
        .unwrap();
    let text = ok(output);
    assert!(text.contains("published"), "{text}");
}
