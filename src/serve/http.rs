//! The preview's HTTP side: serves the built folder and nothing else, injects
//! the live-reload script into HTML, and streams rebuild events to open pages
//! over Server-Sent Events.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;

use crate::pipeline::SocialCards;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

/// Where the live-reload script and the event stream live; no page of a site
/// can have these paths (ids never start with `_`).
pub const EVENTS_PATH: &str = "/__briefing/events";
pub const SCRIPT_PATH: &str = "/__briefing/live.js";
const SCRIPT: &str = include_str!("live.js");

/// What open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// Reload pages at these URLs; `None` for every page.
    Reload(Option<Vec<String>>),
    Stylesheets,
    Errors(Vec<String>),
    /// The errors are fixed.
    Ok,
    /// The search index is new: the search page at this URL reloads.
    Search(String),
}

/// State shared by the HTTP handlers and the rebuild loop.
pub struct Shared {
    /// The folder being served.
    pub dir: RwLock<PathBuf>,
    /// Current build errors, one line each; empty when the site is good.
    pub errors: RwLock<Vec<String>>,
    pub events: broadcast::Sender<LiveEvent>,
    /// The social cards, drawn when first asked for.
    pub cards: Arc<SocialCards>,
}

impl Shared {
    pub fn new(dir: PathBuf, cards: Arc<SocialCards>) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Shared {
            dir: RwLock::new(dir),
            errors: RwLock::new(Vec::new()),
            events,
            cards,
        })
    }

    /// Tells every open page; nobody listening is fine.
    pub fn send(&self, event: LiveEvent) {
        let _ = self.events.send(event);
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(file)
        .with_state(shared)
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.events.subscribe();
    let errors = shared.errors.read().map(|e| e.clone()).unwrap_or_default();
    // A page that opens while the site has errors shows them at once.
    let first = if errors.is_empty() {
        Event::default().event("hello").data("ok")
    } else {
        to_event(LiveEvent::Errors(errors))
    };
    let stream = tokio_stream::once(first)
        .chain(BroadcastStream::new(receiver).filter_map(|event| event.ok().map(to_event)))
        .map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_event(event: LiveEvent) -> Event {
    match event {
        LiveEvent::Reload(None) => Event::default().event("reload").data("*"),
        LiveEvent::Reload(Some(paths)) => Event::default().event("reload").data(paths.join("\n")),
        LiveEvent::Search(url) => Event::default().event("search").data(url.clone()),
        LiveEvent::Stylesheets => Event::default().event("css").data("*"),
        LiveEvent::Errors(lines) => Event::default().event("errors").data(lines.join("\n")),
        LiveEvent::Ok => Event::default().event("ok").data("ok"),
    }
}

/// Serves a file of the built site: GET and HEAD only, no listings, nothing
/// outside the folder, the site's 404 page for everything else.
async fn file(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response<Body> {
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "GET or HEAD only");
    }
    let dir = match shared.dir.read() {
        Ok(dir) => dir.clone(),
        Err(_) => return plain(StatusCode::INTERNAL_SERVER_ERROR, "server state lost"),
    };
    let Some(relative) = safe_relative(request.uri().path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad path");
    };
    if relative
        .file_name()
        .is_some_and(|name| name == crate::urls::CARD)
    {
        if let Some(response) = card(&shared, &relative, head).await {
            return response;
        }
    }
    let mut path = dir.join(&relative);
    if path.is_dir() {
        if !request.uri().path().ends_with('/') {
            // Built from the cleaned path: `//host` must not become a redirect elsewhere.
            let parts: Vec<String> = relative
                .components()
                .map(|c| crate::urls::encode_path(&c.as_os_str().to_string_lossy()))
                .collect();
            return redirect(&format!("/{}/", parts.join("/")));
        }
        path = path.join("index.html");
    }
    match read_inside(&dir, &path).await {
        Some(bytes) => respond(StatusCode::OK, &path, bytes, head),
        None => {
            let not_found = dir.join("404.html");
            match read_inside(&dir, &not_found).await {
                Some(bytes) => respond(StatusCode::NOT_FOUND, &not_found, bytes, head),
                None => plain(StatusCode::NOT_FOUND, "not found"),
            }
        }
    }
}

/// The social card at `relative`, drawn now if the cache does not have it;
/// `None` when no page has a card there.
async fn card(shared: &Arc<Shared>, relative: &Path, head: bool) -> Option<Response<Body>> {
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let path = parts.join("/");
    let cards = Arc::clone(&shared.cards);
    // Drawing takes milliseconds of CPU: not on the async threads.
    let drawn = tokio::task::spawn_blocking(move || cards.png(&path))
        .await
        .ok()??;
    Some(match drawn {
        Ok(bytes) => respond(StatusCode::OK, relative, bytes, head),
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "the card cannot be read"),
    })
}

/// The request path as a relative path with only normal components, or
/// `None` when it tries anything else (`..`, a drive, a NUL, a backslash).
fn safe_relative(raw: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\0', '\\']) {
        return None;
    }
    let mut relative = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return None,
            segment => {
                let mut components = Path::new(segment).components();
                match (components.next(), components.next()) {
                    (Some(Component::Normal(part)), None) => relative.push(part),
                    _ => return None,
                }
            }
        }
    }
    Some(relative)
}

/// Reads `path` if it is a file that really lies inside `dir` (symbolic
/// links pointing out of the folder are refused).
async fn read_inside(dir: &Path, path: &Path) -> Option<Vec<u8>> {
    let dir = tokio::fs::canonicalize(dir).await.ok()?;
    let real = tokio::fs::canonicalize(path).await.ok()?;
    if !real.starts_with(&dir) || !tokio::fs::metadata(&real).await.ok()?.is_file() {
        return None;
    }
    tokio::fs::read(&real).await.ok()
}

fn respond(status: StatusCode, path: &Path, mut bytes: Vec<u8>, head: bool) -> Response<Body> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let content_type = crate::media::content_type(path);
    if extension == "html" {
        bytes = inject_script(bytes);
    }
    let length = bytes.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    // A preview must never show a stale page.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Adds the live-reload script before `</body>` (or at the end).
fn inject_script(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn redirect(location: &str) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_pass() {
        assert_eq!(
            safe_relative("/articles/x/"),
            Some(PathBuf::from("articles/x"))
        );
        assert_eq!(safe_relative("/"), Some(PathBuf::new()));
        assert_eq!(
            safe_relative("/a%20b.html"),
            Some(PathBuf::from("a b.html"))
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/a%5c..%5cb",
            "/a%00b",
            "/./x",
            "/%ff",
        ] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_script_goes_before_the_body_end() {
        let html = inject_script(b"<html><body><p>x</p></BODY></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            format!(
                "<html><body><p>x</p><script src=\"{SCRIPT_PATH}\" defer></script></BODY></html>"
            )
        );
    }
}
