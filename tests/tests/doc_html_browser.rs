//! The HTML site of the docs backend, in headless Chromium: pages load without console
//! errors, searching for a command finds it and leads to its anchor, a type link lands on the
//! type's definition, the contents bar leads to chapters and the index (on a phone too, once
//! unfolded), the text's reference to the manual's index leads to it, and on a phone-sized
//! window nothing is wider than the screen. A screenshot of each window size is kept in the
//! test's target directory.
//!
//! It runs on our kitchen-sink schema, and on QEMU 10.0.2's QMP schema when its source is
//! fetched. Without Chromium and chromedriver (Debian packages `chromium`, `chromium-driver`)
//! it skips, unless `QAPI_REQUIRE_LIVE=1`.

use std::path::{Path, PathBuf};

use qapi_compiler::doc;
use qapi_tests::browser::{self, Browser};
use qapi_tests::{qemu_source, unavailable};

/// Writes the site of a schema into a fresh directory and returns it.
fn write_site(name: &str, schema_path: &Path) -> PathBuf {
    let schema = qapi_schema::parse_file(schema_path).unwrap_or_else(|error| panic!("{error}"));
    let files = doc::html::generate(&schema, &doc::Options::default());
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("doc-site-{name}"));
    let _ = std::fs::remove_dir_all(&directory);
    for (relative, bytes) in files {
        let path = directory.join(relative);
        std::fs::create_dir_all(path.parent().expect("a file in the site")).expect("mkdir");
        std::fs::write(path, bytes).expect("write site file");
    }
    directory
}

fn start_browser(width: u32, height: u32) -> Option<Browser> {
    if let Err(reason) = browser::find_programs() {
        unavailable(&reason);
        return None;
    }
    Some(Browser::start(width, height).unwrap_or_else(|error| panic!("{error}")))
}

fn assert_no_console_errors(browser: &Browser, page: &str) {
    let errors = browser.console_errors().expect("read the console");
    assert!(errors.is_empty(), "console errors on {page}: {errors:#?}");
}

/// Types `query` into the search box of the open page, and follows the first result, which
/// must be `expected_anchor`.
fn search_and_follow(browser: &Browser, query: &str, expected_anchor: &str) {
    let input = browser.find("#search-input").expect("a search box");
    browser
        .type_text(&input, query)
        .expect("type into the search box");
    let first = browser
        .wait_for(
            "var a = document.querySelector('#search-results a'); \
             return a && !document.getElementById('search-results').hidden ? a.textContent : null;",
        )
        .expect("search results appear");
    assert!(
        first.as_str().is_some_and(|text| text.starts_with(query)),
        "first result for {query}: {first}"
    );
    let link = browser.find("#search-results a").expect("a result link");
    browser.click(&link).expect("follow the result");
    let hash = browser
        .wait_for(&format!(
            "return location.hash === '#{expected_anchor}' && \
             document.getElementById('{expected_anchor}') ? location.hash : null;"
        ))
        .expect("the result leads to the definition");
    assert_eq!(hash, format!("#{expected_anchor}"));
}

/// Clicks the first link to `type_name` on the open page; its definition must be the target
/// and scrolled into view.
fn follow_type_link(browser: &Browser, type_name: &str) {
    let anchor = format!("type-{type_name}");
    let link = browser
        .find(&format!("a.type-link[href$='#{anchor}']"))
        .expect("a link to the type");
    browser.click(&link).expect("click the type link");
    browser
        .wait_for(&format!(
            "var target = document.getElementById('{anchor}'); \
             if (location.hash !== '#{anchor}' || !target) return null; \
             var top = target.getBoundingClientRect().top; \
             return top >= -1 && top < window.innerHeight;"
        ))
        .expect("the type link lands on the definition, in view");
}

/// Clicks the link of the contents bar whose address is `href` (unfolding the bar first if
/// it is folded), and waits for the page `file` with `fragment` in view and, for a chapter,
/// marked as current in the bar.
fn follow_contents_link(browser: &Browser, href: &str) {
    let folded = browser
        .execute("return !document.getElementById('contents').open;")
        .expect("read the contents bar");
    if folded == serde_json::Value::Bool(true) {
        let summary = browser
            .find("#contents > summary")
            .expect("a contents summary");
        browser.click(&summary).expect("unfold the contents");
    }
    let link = browser
        .find(&format!("#contents a[href='{href}']"))
        .expect("a contents link");
    browser.click(&link).expect("follow the contents link");
    let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
    let landed = browser
        .wait_for(&format!(
            "if (!location.pathname.endsWith('/{file}') || location.hash !== '{hash}') return null;              var target = '{fragment}' ? document.getElementById('{fragment}') : document.body;              if (!target) return null;              var top = target.getBoundingClientRect().top;              if ('{fragment}' && (top < -1 || top >= window.innerHeight)) return null;              var current = document.querySelector('#contents a[aria-current=page]');              return current ? current.getAttribute('href') : null;",
            hash = if fragment.is_empty() { String::new() } else { format!("#{fragment}") },
        ))
        .unwrap_or_else(|error| panic!("the contents link {href} lands: {error}"));
    assert_eq!(landed, file, "the contents bar marks the current page");
}

fn keep_screenshot(browser: &Browser, name: &str, width: u32) {
    let png = browser.screenshot().expect("a screenshot");
    let (shot_width, shot_height) = browser::png_size(&png).expect("the screenshot is a PNG");
    assert!(
        shot_width >= width && shot_height > 0,
        "screenshot is {shot_width}×{shot_height}"
    );
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("doc-site-{name}.png"));
    std::fs::write(&path, &png).expect("keep the screenshot");
    eprintln!("screenshot: {}", path.display());
}

#[test]
fn kitchen_sink_site_works_in_chromium() {
    let Some(browser) = start_browser(1100, 1400) else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let site = write_site(
        "kitchen-sink",
        &root.join("schemas/kitchen-sink/kitchen-sink.json"),
    );

    browser
        .open(&site.join("index.html"))
        .expect("open the index");
    let title = browser.execute("return document.title;").expect("title");
    assert_eq!(title, "kitchen-sink reference");
    assert_no_console_errors(&browser, "index.html");
    search_and_follow(&browser, "configure-bus", "command-configure-bus");
    assert_no_console_errors(&browser, "the search result");

    browser
        .open(&site.join("power.html"))
        .expect("open a chapter");
    follow_type_link(&browser, "BusMode");
    assert_no_console_errors(&browser, "power.html");
    let badges = browser
        .execute("return document.querySelectorAll('.badge-deprecated, .badge-unstable').length;")
        .expect("count badges");
    assert!(
        badges.as_u64().unwrap_or(0) > 0,
        "no deprecated or unstable badges"
    );
    keep_screenshot(&browser, "kitchen-sink-desktop", 1100);

    browser
        .open(&site.join("index.html"))
        .expect("open the index");
    follow_contents_link(&browser, "power.html");
    follow_contents_link(&browser, "genindex.html#index-types");
    let link = browser
        .find(".name-index a[href$='#type-BusMode']")
        .expect("the index lists BusMode");
    browser.click(&link).expect("follow the index entry");
    browser
        .wait_for("return location.hash === '#type-BusMode' ? true : null;")
        .expect("the index entry leads to the type");
    assert_no_console_errors(&browser, "the contents bar and the index");

    // The console check sees errors at all: one made on purpose is reported.
    browser
        .execute("console.error('qapi-console-probe'); return null;")
        .expect("log an error");
    let errors = browser.console_errors().expect("read the console");
    assert!(
        errors
            .iter()
            .any(|error| error.contains("qapi-console-probe")),
        "the console check missed a logged error: {errors:?}"
    );
}

#[test]
fn kitchen_sink_site_fits_a_phone() {
    let Some(browser) = start_browser(390, 844) else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let site = write_site(
        "kitchen-sink-phone",
        &root.join("schemas/kitchen-sink/kitchen-sink.json"),
    );
    for page in ["index.html", "power.html", "operations.html"] {
        browser.open(&site.join(page)).expect("open a page");
        let overflow = browser
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            )
            .expect("measure the page");
        assert!(
            overflow.as_i64().unwrap_or(1) <= 0,
            "{page} is {overflow} px wider than a phone's screen"
        );
        assert_no_console_errors(&browser, page);
    }
    browser
        .open(&site.join("index.html"))
        .expect("open the index");
    let folded = browser
        .execute("return !document.getElementById('contents').open;")
        .expect("read the contents bar");
    assert_eq!(
        folded,
        serde_json::Value::Bool(true),
        "the contents bar is folded on a phone"
    );
    follow_contents_link(&browser, "operations.html");
    follow_contents_link(&browser, "genindex.html#index-commands-events");
    keep_screenshot(&browser, "kitchen-sink-phone", 390);
}

#[test]
fn qemu_machine_protocol_site_works_in_chromium() {
    let Some(source) = qemu_source() else {
        return unavailable("QEMU's source tree is not fetched (run `cargo xtask fetch-qemu`)");
    };
    let Some(browser) = start_browser(1100, 1400) else {
        return;
    };
    let site = write_site("qmp", &source.join("qapi/qapi-schema.json"));
    browser
        .open(&site.join("index.html"))
        .expect("open the index");
    assert_no_console_errors(&browser, "index.html");
    let title = browser.execute("return document.title;").expect("title");
    assert_eq!(title, "QEMU QMP Reference Manual");
    // The introduction's `qapi-qmp-index` is a live link to the index.
    follow_contents_link(&browser, "introduction.html");
    let link = browser
        .find("main a.index-link[href='genindex.html']")
        .expect("a link to the index in the introduction");
    browser.click(&link).expect("follow the index link");
    browser
        .wait_for(
            "return location.pathname.endsWith('/genindex.html') &&              document.getElementById('index-commands-events') ? true : null;",
        )
        .expect("the index link leads to the index");
    follow_contents_link(&browser, "index.html");
    search_and_follow(&browser, "query-status", "command-query-status");
    follow_type_link(&browser, "StatusInfo");
    assert_no_console_errors(&browser, "the chapter of query-status");
}
