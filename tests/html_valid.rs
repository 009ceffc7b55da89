//! The built pages pass the W3C Nu HTML checker with zero errors, and the
//! stylesheet passes its CSS checker. Skips (saying why) without Java and
//! vnu.jar; `.ci/run` installs both.

mod common;

use std::process::Command;

use common::*;

#[test]
fn sample_site_and_fixture_pass_the_nu_html_checker() {
    let Some(jar) = vnu_jar() else { return };
    let out = tempfile::tempdir().unwrap();
    let sample = out.path().join("sample");
    let sub = out.path().join("sub");
    let sample_arg = sample.to_string_lossy().into_owned();
    build_ok(&repo(), &["--output", &sample_arg]);
    let fixture = site("basic");
    let sub_arg = sub.to_string_lossy().into_owned();
    build_ok(
        fixture.path(),
        &[
            "--output",
            &sub_arg,
            "--base-url",
            "https://example.org/sub/",
            "--drafts",
        ],
    );
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--also-check-css"])
        .arg(&sample)
        .arg(&sub)
        .output()
        .expect("java runs");
    assert!(
        output.status.success(),
        "Nu checker found errors:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
