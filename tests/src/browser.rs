//! A headless Chromium driven through chromedriver's WebDriver HTTP interface, for tests of
//! the generated HTML site.
//!
//! The client is a few lines over `std::net::TcpStream` and `serde_json`: one request per
//! connection, JSON in and out. It only talks to the chromedriver this module starts on the
//! loopback address, and both processes end when the [`Browser`] is dropped. Chromium runs
//! with a fresh profile directory and with networking, updates and sync turned off.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key under which WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process with one browser session.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: PathBuf,
}

/// Where chromedriver and Chromium are, or why they cannot be used.
pub fn find_programs() -> Result<(PathBuf, PathBuf), String> {
    let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .ok_or("chromedriver is not installed (Debian package chromium-driver)")?;
    // Debian's /usr/bin/chromium is a wrapper script; the driver wants the binary.
    let browser = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
        .iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .ok_or("chromium is not installed (Debian package chromium)")?;
    Ok((driver, browser))
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a window of `width` × `height`.
    pub fn start(width: u32, height: u32) -> Result<Browser, String> {
        let (driver_path, browser_path) = find_programs()?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| format!("no free port: {error}"))?
            .port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start chromedriver: {error}"))?;
        let profile = std::env::temp_dir().join(format!(
            "qapi-chromium-profile-{}-{port}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&profile);
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match browser.request("GET", "/status", None) {
                Ok(status) if status["ready"] == true => break,
                _ if Instant::now() > deadline => {
                    return Err("chromedriver did not become ready".to_string());
                }
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": browser_path,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--hide-scrollbars",
                        format!("--user-data-dir={}", browser.profile.display()),
                        format!("--window-size={width},{height}"),
                    ],
                },
                "goog:loggingPrefs": { "browser": "ALL" },
            }}
        });
        let session = browser.request("POST", "/session", Some(&capabilities))?;
        browser.session = session["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {session}"))?
            .to_string();
        Ok(browser)
    }

    /// Opens a local file.
    pub fn open(&self, path: &Path) -> Result<(), String> {
        let url = format!("file://{}", path.display());
        self.command("POST", "url", Some(&json!({ "url": url })))
            .map(drop)
    }

    /// Runs `script` (a function body) in the page and returns its result.
    pub fn execute(&self, script: &str) -> Result<Value, String> {
        self.command(
            "POST",
            "execute/sync",
            Some(&json!({ "script": script, "args": [] })),
        )
    }

    /// The first element matching a CSS selector.
    pub fn find(&self, selector: &str) -> Result<String, String> {
        let found = self.command(
            "POST",
            "element",
            Some(&json!({ "using": "css selector", "value": selector })),
        )?;
        found[ELEMENT_KEY]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("no element matches {selector}: {found}"))
    }

    /// Types `text` into an element.
    pub fn type_text(&self, element: &str, text: &str) -> Result<(), String> {
        self.command(
            "POST",
            &format!("element/{element}/value"),
            Some(&json!({ "text": text })),
        )
        .map(drop)
    }

    /// Clicks an element.
    pub fn click(&self, element: &str) -> Result<(), String> {
        self.command(
            "POST",
            &format!("element/{element}/click"),
            Some(&json!({})),
        )
        .map(drop)
    }

    /// Waits up to twenty seconds for `script` to return something truthy, and returns it.
    pub fn wait_for(&self, script: &str) -> Result<Value, String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let value = self.execute(script)?;
            let truthy = !matches!(&value, Value::Null | Value::Bool(false))
                && value != json!("")
                && value != json!(0);
            if truthy {
                return Ok(value);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for: {script}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The browser console entries of level `SEVERE` since the last call.
    pub fn console_errors(&self) -> Result<Vec<String>, String> {
        let entries = self.command("POST", "se/log", Some(&json!({ "type": "browser" })))?;
        Ok(entries
            .as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_string())
            .collect())
    }

    /// A PNG screenshot of the window.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        let encoded = self.command("GET", "screenshot", None)?;
        decode_base64(encoded.as_str().unwrap_or_default())
            .ok_or_else(|| "the screenshot is not base64".to_string())
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        self.request(method, &format!("/session/{}/{path}", self.session), body)
    }

    /// One WebDriver request; returns the reply's `value`, or its error as text.
    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))
            .map_err(|error| format!("cannot reach chromedriver: {error}"))?;
        let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|error| format!("cannot send to chromedriver: {error}"))?;
        let (head, payload) = read_reply(&mut stream)?;
        let mut payload = payload;
        if head.contains("transfer-encoding: chunked") {
            payload = dechunk(&payload);
        }
        let value: Value = serde_json::from_slice(&payload)
            .map_err(|error| format!("chromedriver sent bad JSON ({error})"))?;
        let value = value.get("value").cloned().unwrap_or(Value::Null);
        if let Some(error) = value.get("error").and_then(Value::as_str) {
            return Err(format!(
                "{error}: {}",
                value["message"].as_str().unwrap_or_default()
            ));
        }
        Ok(value)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.request("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Reads one HTTP reply: its header in lower case and its body. chromedriver may keep the
/// connection open, so the body ends by its length (or the last chunk), not by end of file.
fn read_reply(stream: &mut TcpStream) -> Result<(String, Vec<u8>), String> {
    let mut reply = Vec::new();
    let mut buffer = [0u8; 65536];
    let mut header: Option<(String, usize)> = None;
    loop {
        if let Some((head, body_start)) = &header {
            let body = &reply[*body_start..];
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse::<usize>().ok());
            let complete = match length {
                Some(length) => body.len() >= length,
                None => head.contains("transfer-encoding: chunked") && body.ends_with(b"0\r\n\r\n"),
            };
            if complete {
                return Ok((head.clone(), body.to_vec()));
            }
        } else if let Some(split) = reply.windows(4).position(|window| window == b"\r\n\r\n") {
            header = Some((
                String::from_utf8_lossy(&reply[..split]).to_lowercase(),
                split + 4,
            ));
            continue;
        }
        let count = stream
            .read(&mut buffer)
            .map_err(|error| format!("cannot read from chromedriver: {error}"))?;
        if count == 0 {
            return match header {
                Some((head, body_start)) => Ok((head, reply[body_start..].to_vec())),
                None => Err("chromedriver closed the connection without a reply".to_string()),
            };
        }
        reply.extend_from_slice(&buffer[..count]);
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|window| window == b"\r\n") {
        let size = std::str::from_utf8(&data[..end])
            .ok()
            .and_then(|text| usize::from_str_radix(text.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        let stop = (start + size).min(data.len());
        out.extend_from_slice(&data[start..stop]);
        data = data.get(stop + 2..).unwrap_or_default();
    }
    out
}

/// Standard base64 (with padding) to bytes.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The width and height in a PNG's header.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.len() < 24 || &png[..8] != b"\x89PNG\r\n\x1a\n" || &png[12..16] != b"IHDR" {
        return None;
    }
    let number = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    Some((number(16), number(20)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("a!"), None);
    }

    #[test]
    fn chunks_are_joined() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), b"abcde");
    }
}
