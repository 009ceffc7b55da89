//! Shared helpers for the integration tests: run the real binary on fixture
//! sites copied into temporary folders, and read what it wrote.
#![allow(dead_code)]

pub mod corpus;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the sample site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Copies a fixture site into a fresh temporary folder and returns it.
pub fn site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture readable");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Runs `briefing ARGS` in `dir`.
pub fn briefing(dir: &Path, args: &[&str]) -> Output {
    briefing_env(dir, args, &[])
}

/// Runs `briefing ARGS` in `dir` with these environment variables set
/// (`SOURCE_DATE_EPOCH`, to pin the build time).
pub fn briefing_env(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .envs(vars.iter().copied())
        .current_dir(dir)
        .output()
        .expect("binary runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Builds `dir` and panics with its messages if that fails.
pub fn build_ok(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let output = briefing(dir, &args);
    assert!(
        output.status.success(),
        "build failed:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    output
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, as sorted relative paths with `/`.
pub fn files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Every file under `dir` with its bytes, by relative path.
pub fn file_tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(dir.join(&f)).unwrap_or_default();
            (f, bytes)
        })
        .collect()
}

/// The HTML files under `dir` that are redirect pages (`redirect_from`):
/// pages that send the reader on at once, which no sitemap lists.
pub fn redirect_pages(dir: &Path) -> Vec<String> {
    files(dir)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .filter(|f| read(dir.join(f)).contains("<meta http-equiv=\"refresh\""))
        .collect()
}

/// Values of `attr="..."` in an HTML page, unescaped for `&amp;`.
pub fn attribute_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// Every internal `href`/`src` of every HTML page under `public` that does not
/// resolve to a file (and, with a fragment, to an `id` in it). `base_path` is
/// the site's path prefix (`/` or `/sub/`).
pub fn broken_links(public: &Path, base_path: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for page in files(public).iter().filter(|f| f.ends_with(".html")) {
        let html = read(public.join(page));
        let mut targets = attribute_values(&html, "href");
        targets.extend(attribute_values(&html, "src"));
        for target in targets {
            if target.starts_with("http")
                || target.starts_with("mailto:")
                || target.starts_with("//")
            {
                continue;
            }
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (target.clone(), None),
            };
            let file = if path.is_empty() {
                public.join(page)
            } else {
                let Some(inside) = path.strip_prefix(base_path) else {
                    broken.push(format!("{page}: {target} is outside {base_path}"));
                    continue;
                };
                let inside = percent_encoding::percent_decode_str(inside).decode_utf8_lossy();
                let mut file = public.join(inside.as_ref());
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                file
            };
            if !file.is_file() {
                broken.push(format!("{page}: {target} (no {})", file.display()));
                continue;
            }
            if let Some(fragment) = fragment {
                let text = read(&file);
                if !text.contains(&format!("id=\"{fragment}\"")) {
                    broken.push(format!("{page}: {target} (no id {fragment})"));
                }
            }
        }
    }
    broken
}

/// Whether CI asked for every outside tool to be present (`.ci/run` sets it).
pub fn external_required() -> bool {
    std::env::var("BRIEFING_REQUIRE_EXTERNAL").is_ok_and(|v| v == "1")
}

/// Returns the outside tool, or `None` after printing why the test skips.
/// Under `BRIEFING_REQUIRE_EXTERNAL=1` a missing tool fails the test instead.
pub fn external_tool(what: &str, found: Option<PathBuf>, how: &str) -> Option<PathBuf> {
    match found {
        Some(path) => Some(path),
        None if external_required() => {
            panic!("{what} is required (BRIEFING_REQUIRE_EXTERNAL=1) but missing: {how}")
        }
        None => {
            eprintln!("skipped: {what} not found ({how})");
            None
        }
    }
}

/// How to install the npm checkers (pinned in tests/checkers/package-lock.json).
pub const NPM_CHECKERS: &str = "npm ci --ignore-scripts --prefix tests/checkers (.ci/run does)";

/// A file of the npm checkers' install, when present.
pub fn npm_checker(path: &str) -> Option<PathBuf> {
    Some(repo().join("tests/checkers/node_modules").join(path)).filter(|p| p.exists())
}

/// A program on PATH.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// The W3C Nu HTML checker: `$BRIEFING_VNU_JAR`, or npm's vnu-jar from the
/// checkers' install; it runs on the machine's Java.
pub fn vnu_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("BRIEFING_VNU_JAR")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| npm_checker("vnu-jar/build/dist/vnu.jar"));
    let java = Command::new("java").arg("-version").output().is_ok();
    external_tool(
        "the Nu HTML checker (vnu.jar and java)",
        jar.filter(|_| java),
        NPM_CHECKERS,
    )
}

/// A running `briefing serve`, stopped with Ctrl-C when dropped.
pub struct Server {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    events: std::sync::mpsc::Receiver<(String, String)>,
    /// What the event stream said first: `hello`, or `errors` when the site is broken.
    pub first_event: (String, String),
    /// Everything the server printed on stdout so far.
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    agent: ureq::Agent,
}

pub struct Fetched {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Fetched {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Server {
    /// Starts `briefing serve --port 0 ARGS` on `dir` and waits until it listens
    /// and its event stream is connected.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        Server::start_with_temp(dir, args, &std::env::temp_dir())
    }

    /// Like [`Server::start`], with `TMPDIR` (where the preview is built) set.
    pub fn start_with_temp(dir: &Path, args: &[&str], temp: &Path) -> Server {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(["serve", "--port", "0"])
            .args(args)
            .env("TMPDIR", temp)
            .current_dir(dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (url_sender, url_receiver) = std::sync::mpsc::channel();
        let lines = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(rest) = line.strip_prefix("serving ") {
                    let url = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    let _ = url_sender.send(url);
                }
                lines.lock().unwrap().push(line);
            }
        });
        let errors = std::sync::Arc::clone(&log);
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                errors.lock().unwrap().push(line);
            }
        });
        let url = url_receiver
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("serve did not start: {:?}", log.lock().unwrap()));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();

        let (event_sender, events) = std::sync::mpsc::channel();
        let stream_url = format!("{url}__briefing/events");
        let stream_agent = agent.clone();
        std::thread::spawn(move || {
            let Ok(response) = stream_agent.get(&stream_url).call() else {
                return;
            };
            let reader = std::io::BufReader::new(response.into_body().into_reader());
            let (mut event, mut data) = (String::new(), Vec::<String>::new());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event:") {
                    event = name.trim().to_string();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push(value.strip_prefix(' ').unwrap_or(value).to_string());
                } else if line.is_empty() && !event.is_empty() {
                    if event_sender
                        .send((std::mem::take(&mut event), data.join("\n")))
                        .is_err()
                    {
                        return;
                    }
                    data.clear();
                }
            }
        });
        // The stream says hello (or shows errors) first: then it is listening.
        let first_event = events
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("event stream connects");
        Server {
            child,
            url,
            events,
            first_event,
            log,
            agent,
        }
    }

    pub fn get(&self, path: &str) -> Fetched {
        self.request("GET", path)
    }

    pub fn request(&self, method: &str, path: &str) -> Fetched {
        let url = format!("{}{}", self.url, path.trim_start_matches('/'));
        let request = || {
            ureq::http::Request::builder()
                .method(method)
                .uri(&url)
                .body(())
                .expect("request")
        };
        // A kept-alive connection from the agent's pool may have been closed
        // in the meantime; like a browser, try once more on a fresh one.
        let response = self
            .agent
            .run(request())
            .or_else(|_| self.agent.run(request()))
            .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = response.into_body().read_to_vec().unwrap_or_default();
        Fetched {
            status,
            content_type,
            body,
        }
    }

    /// The next event from the live-reload stream: (event name, data).
    pub fn next_event(&self, timeout: std::time::Duration) -> Option<(String, String)> {
        self.events.recv_timeout(timeout).ok()
    }

    /// Waits for an event named `name`, skipping others; panics after `secs`.
    pub fn wait_for(&self, name: &str, secs: u64) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.next_event(left) {
                Some((event, data)) if event == name => return data,
                Some(_) => continue,
                None => break,
            }
        }
        panic!(
            "no `{name}` event within {secs} s; server said: {:?}",
            self.log.lock().unwrap()
        );
    }

    /// Sends Ctrl-C (SIGINT) and waits for the process to end; its exit code.
    pub fn interrupt(&mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }

    /// Drops events already received.
    pub fn drain(&self) {
        while self.events.try_recv().is_ok() {}
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Ctrl-C first: serve then removes its workspace from the temporary
        // folder, which a kill would leave behind.
        if self.interrupt().is_none() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Removes the live-reload script tag that `serve` adds to HTML.
pub fn without_live_script(html: &str) -> String {
    html.replace("<script src=\"/__briefing/live.js\" defer></script>", "")
}

/// Debian's Chromium and its ChromeDriver, when both are installed.
pub fn chromium() -> Option<(PathBuf, PathBuf)> {
    let pair = on_path("chromium").zip(on_path("chromedriver"));
    let found = pair.as_ref().map(|(browser, _)| browser.clone());
    external_tool(
        "Chromium and ChromeDriver",
        found,
        "apt-get install chromium chromium-driver (.ci/run does)",
    )?;
    pair
}

/// A free TCP port on loopback (free when asked; good enough for tests).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The S3-compatible test server s3s-fs: `$BRIEFING_S3S_FS`, on PATH, or
/// where `.ci/run` installs it.
pub fn s3s_fs() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("BRIEFING_S3S_FS").map(PathBuf::from),
        Some(repo().join("target/ci-tools/bin/s3s-fs")),
        on_path("s3s-fs"),
    ];
    external_tool(
        "s3s-fs (an S3-compatible server)",
        candidates.into_iter().flatten().find(|p| p.is_file()),
        "cargo install s3s-fs@0.14.1 --locked --features binary (.ci/run does)",
    )
}

/// A plain static file server on loopback, as static hosting would serve a
/// built site: `dir` appears under the URL path `prefix` (`/sub/`), folders
/// answer with their `index.html`, and nothing is added to the pages.
pub struct StaticServer {
    pub url: String,
}

impl StaticServer {
    pub fn start(dir: &Path, prefix: &str) -> StaticServer {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let dir = dir.to_path_buf();
        let prefix = prefix.to_string();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                let prefix = prefix.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(&stream);
                    let mut request = String::new();
                    if reader.read_line(&mut request).is_err() {
                        return;
                    }
                    let target = request.split_whitespace().nth(1).unwrap_or("/");
                    let path = target.split(['?', '#']).next().unwrap_or("/");
                    let file = path
                        .strip_prefix(&prefix)
                        .filter(|rest| !rest.split('/').any(|part| part == ".."))
                        .map(|rest| {
                            let file = dir.join(rest);
                            if file.is_dir() {
                                file.join("index.html")
                            } else {
                                file
                            }
                        });
                    let (status, body, kind) = match file.and_then(|f| {
                        let bytes = fs::read(&f).ok()?;
                        Some((bytes, f))
                    }) {
                        Some((bytes, f)) => {
                            let kind = match f.extension().and_then(|e| e.to_str()) {
                                Some("html") => "text/html; charset=utf-8",
                                Some("css") => "text/css",
                                Some("js") => "text/javascript",
                                Some("json") => "application/json",
                                Some("svg") => "image/svg+xml",
                                Some("xml") => "application/xml",
                                _ => "application/octet-stream",
                            };
                            ("200 OK", bytes, kind)
                        }
                        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                    };
                    let mut stream = &stream;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(&body);
                });
            }
        });
        StaticServer {
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

/// Brings a session's search index up to date after a batch, as `serve`
/// does on a thread of its own, so that the served folder can be compared
/// whole with a clean build.
pub fn catch_up_search(
    session: &briefing::serve::session::Session,
    report: &briefing::serve::session::Report,
) {
    if report.search_stale {
        if let Some(job) = session.search_job() {
            job.run(session.current_dir())
                .expect("the search index builds");
        }
    }
}

/// The skeleton of a random model's site (tests/scoped_*.rs): `site.yaml`
/// with `per_page`, a profile per company written by `profile(name)`, and a
/// bare profile per topic.
pub fn write_model_site(
    root: &Path,
    per_page: usize,
    companies: &[(&str, &str)],
    topics: &[&str],
    profile: impl Fn(&str) -> String,
) {
    for dir in ["articles", "companies", "topics"] {
        fs::create_dir_all(root.join("content").join(dir)).unwrap();
    }
    fs::write(
        root.join("site.yaml"),
        format!("title: Model\nper_page: {per_page}\n"),
    )
    .unwrap();
    for (id, name) in companies {
        fs::write(
            root.join(format!("content/companies/{id}.md")),
            profile(name),
        )
        .unwrap();
    }
    for id in topics {
        fs::write(
            root.join(format!("content/topics/{id}.md")),
            format!("---\nname: \"{id}\"\n---\n"),
        )
        .unwrap();
    }
}

/// The paths a `publish --dry-run` lists under `label` (`new`, `changed`,
/// `deleted`, `kept`).
pub fn planned<'a>(dry_run: &'a str, label: &str) -> Vec<&'a str> {
    let prefix = format!("{label}  ");
    dry_run
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix(prefix.as_str()))
        .collect()
}

/// What a session serves: the files of its folder, and the social cards it
/// draws on request (which are in no folder), by site-relative path, as
/// [`file_tree`] gives a clean build's.
pub fn served_tree(
    session: &briefing::serve::session::Session,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = file_tree(session.current_dir());
    let cards = session.social_cards();
    for path in cards.paths() {
        let bytes = cards
            .png(&path)
            .expect("a card listed is there")
            .expect("the card is drawn");
        files.insert(path, bytes);
    }
    files
}
