//! End to end in a real browser: headless Chromium, driven over WebDriver by
//! fantoccini through Debian's chromedriver. A page that `briefing serve`
//! serves shows an edit by itself; on the sample site built under a subpath
//! and served as static files, search finds, updates as it is typed into and
//! filters by company, and a company's chart has a bar per month of coverage.
//! Skips, saying why, when Chromium is not installed.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use fantoccini::{Client, ClientBuilder, Locator};

/// A headless Chromium session and the chromedriver that runs it.
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium with a window of `width` × `height` CSS pixels, or
    /// `None` (having said why) when it is not installed.
    async fn open(width: u32, height: u32) -> Option<Browser> {
        let (browser, driver) = chromium()?;
        let port = free_port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": browser,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.path().display()),
                    format!("--window-size={width},{height}"),
                ],
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => break client,
                Err(_) if started.elapsed() < Duration::from_secs(30) => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("no WebDriver session: {e}"),
            }
        };
        Some(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_page_shows_an_edit_without_a_manual_reload() {
    let Some(browser) = Browser::open(1280, 900).await else {
        return;
    };
    let client = browser.client.clone();
    let site = site("basic");
    let server = Server::start(site.path(), &[]);

    let result = async {
        client
            .goto(&format!("{}articles/gpt-4o/", server.url))
            .await?;
        let title = client.find(Locator::Css("h1")).await?.text().await?;
        assert_eq!(title, "OpenAI launches GPT-4o");
        // Wait until the page listens for rebuilds.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let live = client
                .execute(
                    "return document.documentElement.dataset.briefingLive || ''",
                    vec![],
                )
                .await
                .unwrap_or_default();
            if live.as_str() == Some("connected") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the page never connected to the event stream"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        client
            .execute("window.briefingMarker = 'same page load'", vec![])
            .await?;

        let article = site.path().join("content/articles/2024-05-13-gpt-4o.md");
        let text =
            read(&article).replace("OpenAI launches GPT-4o", "OpenAI ships GPT-4o to everyone");
        std::fs::write(&article, text).unwrap();

        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            // The page may be mid-reload: a vanished element is "not yet".
            let title = match client.find(Locator::Css("h1")).await {
                Ok(h1) => h1.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if title == "OpenAI ships GPT-4o to everyone" {
                break;
            }
            assert!(Instant::now() < deadline, "the page still says {title:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // It reloaded by itself: the marker set on the old page load is gone.
        let marker = client
            .execute("return window.briefingMarker || 'reloaded'", vec![])
            .await?;
        assert_eq!(marker.as_str(), Some("reloaded"));

        // A broken save shows the error overlay over the last good page.
        std::fs::write(&article, "---\ntitle: \"half typed\n").unwrap();
        let overlay = client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("briefing-errors"))
            .await?;
        let message = overlay.text().await?;
        assert!(
            message.contains("content/articles/2024-05-13-gpt-4o.md"),
            "{message}"
        );
        let png = client.screenshot().await?;
        std::fs::write(std::env::temp_dir().join("briefing-overlay.png"), png).unwrap();
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    browser.close().await;
    if let Err(e) = result {
        panic!("browser steps failed: {e:?}");
    }
}

/// Runs `script` in the page until it returns a non-empty string (or
/// `true`), for at most `secs` seconds; returns that value.
async fn wait_for_value(client: &Client, script: &str, secs: u64, what: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let value = client.execute(script, vec![]).await.unwrap_or_default();
        let ready = match &value {
            serde_json::Value::String(s) => !s.is_empty(),
            serde_json::Value::Bool(b) => *b,
            serde_json::Value::Array(a) => !a.is_empty(),
            serde_json::Value::Number(n) => n.as_f64() != Some(0.0),
            _ => false,
        };
        if ready {
            return value;
        }
        assert!(Instant::now() < deadline, "waited {secs} s for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The result links the search page shows now, once its message says how
/// many there are for `query`.
const RESULT_LINKS: &str = "
    const message = document.querySelector('.pagefind-ui__message');
    if (!message || !message.textContent.includes(arguments[0])) return [];
    return [...document.querySelectorAll('.pagefind-ui__result-link')].map(a => a.getAttribute('href'));";

async fn results_for(client: &Client, query: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = client
            .execute(RESULT_LINKS, vec![serde_json::json!(query)])
            .await
            .unwrap_or_default();
        let links: Vec<String> = serde_json::from_value(value).unwrap_or_default();
        if !links.is_empty() {
            return links;
        }
        assert!(Instant::now() < deadline, "no results for {query:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn save_screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_and_filters_and_a_company_chart_has_a_bar_per_month() {
    let Some(browser) = Browser::open(1280, 900).await else {
        return;
    };
    let client = browser.client.clone();
    // The sample site, built under a subpath and served as plain files.
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let server = StaticServer::start(&public, "/sub/");
    let base = format!("{}/sub/", server.url);
    let repo = repo();
    let built = briefing(
        out.path(),
        &[
            "build",
            "--root",
            repo.to_str().unwrap(),
            "--output",
            public.to_str().unwrap(),
            "--base-url",
            &base,
        ],
    );
    assert!(built.status.success(), "{}", stderr(&built));

    let result = async {
        // The header box on the home page leads to the search page.
        client.goto(&base).await?;
        let input = client.find(Locator::Id("site-search-q")).await?;
        input.send_keys("405B").await?;
        client
            .find(Locator::Css(".site-search-button"))
            .await?
            .click()
            .await?;
        let links = results_for(&client, "405B").await;
        assert_eq!(
            links[0], "/sub/articles/meta-llama-3-1/",
            "the Llama 3.1 briefing first, under the subpath: {links:?}"
        );
        let address = client.current_url().await?;
        assert_eq!(address.path(), "/sub/search/");
        assert_eq!(address.query(), Some("q=405B"));
        let excerpt = client
            .find(Locator::Css(".pagefind-ui__result-excerpt mark"))
            .await?
            .text()
            .await?;
        assert!(
            excerpt.starts_with("405B"),
            "the match is highlighted in the excerpt: {excerpt:?}"
        );

        // Results follow the typing, without pressing anything.
        let search = client
            .find(Locator::Css(".pagefind-ui__search-input"))
            .await?;
        search.clear().await?;
        search.send_keys("Anthropic").await?;
        let all = wait_for_value(
            &client,
            "const m = document.querySelector('.pagefind-ui__message');
             return m && /^\\d+ results? for Anthropic$/.test(m.textContent) ? m.textContent : '';",
            20,
            "results for Anthropic",
        )
        .await;
        let all: usize = all.as_str().unwrap().split(' ').next().unwrap().parse().unwrap();
        save_screenshot(&client, "briefing-search-desktop.png").await;

        // Narrow to briefings tagged with Amazon.
        client
            .find(Locator::XPath(
                "//summary[contains(@class,'pagefind-ui__filter-name') and normalize-space()='Companies']",
            ))
            .await?
            .click()
            .await?;
        client
            .find(Locator::XPath(
                "//label[contains(@class,'pagefind-ui__filter-label')][starts-with(normalize-space(), 'Amazon')]",
            ))
            .await?
            .click()
            .await?;
        let narrowed = wait_for_value(
            &client,
            &format!(
                "const m = document.querySelector('.pagefind-ui__message');
                 const n = m ? parseInt(m.textContent, 10) : NaN;
                 return n > 0 && n < {all} ? n : 0;"
            ),
            20,
            "fewer results once filtered",
        )
        .await;
        let narrowed = narrowed.as_u64().unwrap() as usize;
        let links = results_for(&client, "Anthropic").await;
        assert_eq!(links.len(), narrowed.min(5), "{links:?}");
        assert!(links.contains(&"/sub/articles/amazon-invests-4-billion-more-in-anthropic/".to_string()));
        for link in &links {
            let page = read(public.join(link.trim_start_matches("/sub/")).join("index.html"));
            assert!(
                page.contains("data-pagefind-filter=\"Companies\">Amazon</a>"),
                "{link} is tagged with Amazon"
            );
        }

        // Everything search loaded (UI, index, WebAssembly) came from the site.
        let loaded = client
            .execute(
                "return performance.getEntriesByType('resource').map(r => r.name);",
                vec![],
            )
            .await?;
        let loaded: Vec<String> = serde_json::from_value(loaded).unwrap();
        assert!(
            loaded.iter().any(|url| url.contains("/sub/pagefind/")),
            "{loaded:?}"
        );
        assert!(
            loaded.iter().all(|url| url.starts_with(&base)),
            "no request leaves the site: {loaded:?}"
        );

        client.set_window_size(390, 844).await?;
        save_screenshot(&client, "briefing-search-phone.png").await;

        // A company's chart: one bar per month with coverage, as many
        // months as its hidden table lists with articles, and those add up
        // to the briefings its pages list (the count in its facts).
        client.goto(&format!("{base}companies/openai/")).await?;
        let counts = client
            .execute(
                "const svg = document.querySelector('.chart-figure svg');
                 const bars = new Set([...svg.querySelectorAll('rect.chart-tagged, rect.chart-mentioned')]
                   .map(r => r.getAttribute('x')));
                 const rows = [...document.querySelectorAll('.entity-chart table tbody tr')]
                   .map(tr => parseInt(tr.lastElementChild.textContent, 10));
                 return [bars.size, rows.filter(n => n > 0).length, rows.reduce((a, b) => a + b, 0),
                         parseInt([...document.querySelectorAll('.entity-header .facts dd')].pop().textContent, 10),
                         document.documentElement.scrollWidth - window.innerWidth];",
                vec![],
            )
            .await?;
        let counts: Vec<f64> = serde_json::from_value(counts).unwrap();
        assert!(counts[0] > 1.0, "OpenAI is covered in several months: {counts:?}");
        assert_eq!(counts[0], counts[1], "one bar per month of coverage: {counts:?}");
        assert_eq!(counts[2], counts[3], "the months add up to the briefings counted: {counts:?}");
        assert!(
            counts[4] <= 0.0,
            "the page does not scroll sideways on a phone (the chart may): {counts:?}"
        );
        let show_chart =
            "document.querySelector('.entity-chart').scrollIntoView({behavior: 'instant', block: 'start'})";
        client.execute(show_chart, vec![]).await?;
        save_screenshot(&client, "briefing-company-phone.png").await;
        client.set_window_size(1280, 900).await?;
        client.execute(show_chart, vec![]).await?;
        save_screenshot(&client, "briefing-company-desktop.png").await;
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    browser.close().await;
    if let Err(e) = result {
        panic!("browser steps failed: {e:?}");
    }
}
