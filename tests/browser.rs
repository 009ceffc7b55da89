//! End to end in a real browser: headless Chromium (driven over WebDriver
//! by fantoccini through Debian's chromedriver) opens a page that `briefing
//! serve` serves, the article changes on disk, and the page shows the new
//! text by itself. Skips, saying why, when Chromium is not installed.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use fantoccini::{ClientBuilder, Locator};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_page_shows_an_edit_without_a_manual_reload() {
    let Some((browser, driver)) = chromium() else {
        return;
    };
    let port = free_port();
    let mut chromedriver = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().unwrap();
    let site = site("basic");
    let server = Server::start(site.path(), &[]);

    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": browser,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-dev-shm-usage",
                format!("--user-data-dir={}", profile.path().display()),
                "--window-size=1280,900",
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
            Err(e) if started.elapsed() < Duration::from_secs(30) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no WebDriver session: {e}"),
        }
    };

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
    let _ = client.close().await;
    let _ = chromedriver.kill();
    let _ = chromedriver.wait();
    if let Err(e) = result {
        panic!("browser steps failed: {e:?}");
    }
}
