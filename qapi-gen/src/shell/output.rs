//! What the shell prints: replies, errors and events, one writer at a time, events above
//! the prompt without breaking the line being typed; and leaving with the terminal put back
//! when the connection ends while a line is being read.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, MutexGuard};

use qapi_client::Timestamp;
use rustyline::ExternalPrinter;
use serde_json::Value;

/// Where events go: through the line editor while it reads a line, straight to standard
/// output when it cannot (no terminal).
pub(crate) type EventSink = Box<dyn FnMut(String) + Send>;

/// The screen, shared by the reading loop and the event thread.
#[derive(Clone)]
pub(crate) struct Screen {
    lock: Arc<Mutex<bool>>,
    #[cfg(unix)]
    terminal: Option<Arc<rustix::termios::Termios>>,
}

impl Screen {
    /// Remembers the terminal's settings, to put them back if the shell must leave while
    /// the line editor has changed them.
    pub(crate) fn new() -> Screen {
        Screen {
            lock: Arc::new(Mutex::new(false)),
            #[cfg(unix)]
            terminal: std::io::stdin()
                .is_terminal()
                .then(|| rustix::termios::tcgetattr(std::io::stdin()).ok())
                .flatten()
                .map(Arc::new),
        }
    }

    fn hold(&self) -> MutexGuard<'_, bool> {
        self.lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Prints `text` (a line break is added) on standard output.
    pub(crate) fn print(&self, text: &str) {
        let _held = self.hold();
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{text}");
        let _ = stdout.flush();
    }

    /// Prints `text` on standard error.
    pub(crate) fn warn(&self, text: &str) {
        let _held = self.hold();
        eprintln!("{text}");
    }

    /// The function that shows an event: the editor's printer when there is one.
    pub(crate) fn events(&self, printer: Option<Box<dyn ExternalPrinter + Send>>) -> EventSink {
        let screen = self.clone();
        match printer {
            Some(mut printer) => Box::new(move |text: String| {
                let _held = screen.hold();
                if printer.print(format!("{text}\n")).is_err() {
                    println!("{text}");
                }
            }),
            None => Box::new(move |text: String| screen.print(&text)),
        }
    }

    /// Says that the shell ends because of `message`, once: `false` if another thread
    /// already said so.
    pub(crate) fn end(&self, message: &str) -> bool {
        let mut ended = self.hold();
        if *ended {
            return false;
        }
        *ended = true;
        eprintln!("qapi-gen: error: {message}");
        true
    }

    /// Ends the process from a thread other than the one reading lines: the terminal is put
    /// back as it was, since the line editor cannot do it.
    pub(crate) fn end_now(&self, message: &str) -> ! {
        let mut ended = self.hold();
        if *ended {
            drop(ended);
            // The reading thread ends the process itself.
            loop {
                std::thread::park();
            }
        }
        *ended = true;
        #[cfg(unix)]
        if let Some(terminal) = &self.terminal {
            let _ = rustix::termios::tcsetattr(
                std::io::stdin(),
                rustix::termios::OptionalActions::Now,
                terminal,
            );
        }
        if std::io::stdout().is_terminal() {
            // The editor turns bracketed paste on while it reads.
            print!("\x1b[?2004l");
        }
        let _ = std::io::stdout().flush();
        eprintln!("\r\nqapi-gen: error: {message}");
        std::process::exit(2)
    }
}

/// The terminal's width in columns: 80 when standard output is not a terminal.
pub(crate) fn terminal_width() -> usize {
    #[cfg(unix)]
    if let Ok(size) = rustix::termios::tcgetwinsize(std::io::stdout())
        && size.ws_col > 0
    {
        return usize::from(size.ws_col);
    }
    80
}

/// `text` broken into lines of at most `width` columns at spaces (a longer word keeps its
/// own line), every line after the first starting with `indent`.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut wrapped = String::new();
    let mut column = 0;
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        let length = word.chars().count();
        if column > 0 && column + 1 + length > width {
            wrapped.push('\n');
            wrapped.push_str(indent);
            column = indent.chars().count();
        } else if column > 0 {
            wrapped.push(' ');
            column += 1;
        }
        wrapped.push_str(word);
        column += length;
    }
    wrapped
}

/// A JSON value as the shell shows it: indented by two spaces.
pub(crate) fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// An event as the shell shows it: `event NAME at TIME`, then its data if it has any.
pub(crate) fn event(name: &str, data: Option<&Value>, timestamp: Option<Timestamp>) -> String {
    let mut text = format!("event {name}");
    if let Some(timestamp) = timestamp {
        text.push_str(&format!(" at {}", time(timestamp)));
    }
    match data {
        Some(Value::Object(members)) if members.is_empty() => {}
        Some(data) => {
            text.push('\n');
            text.push_str(&pretty(data));
        }
        None => {}
    }
    text
}

/// A QMP timestamp in UTC, to the microsecond: `2025-06-01 12:34:56.123456`.
pub(crate) fn time(timestamp: Timestamp) -> String {
    let seconds = timestamp.seconds;
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{:06}",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60,
        timestamp.microseconds.clamp(0, 999_999)
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn prose_wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc dd", 5, "  "), "aa bb\n  cc\n  dd");
        assert_eq!(wrap("a verylongword b", 4, ""), "a\nverylongword\nb");
        assert_eq!(wrap("short", 80, "  "), "short");
    }

    #[test]
    fn times_in_utc() {
        let at = |seconds, microseconds| {
            time(Timestamp {
                seconds,
                microseconds,
            })
        };
        assert_eq!(at(0, 0), "1970-01-01 00:00:00.000000");
        assert_eq!(at(951_782_400, 5), "2000-02-29 00:00:00.000005");
        assert_eq!(at(1_748_781_296, 123_456), "2025-06-01 12:34:56.123456");
        assert_eq!(at(-1, 0), "1969-12-31 23:59:59.000000");
    }

    #[test]
    fn events_with_and_without_data() {
        let stamp = Some(Timestamp {
            seconds: 0,
            microseconds: 0,
        });
        assert_eq!(
            event("STOP", None, stamp),
            "event STOP at 1970-01-01 00:00:00.000000"
        );
        assert_eq!(event("RESUME", Some(&json!({})), None), "event RESUME");
        assert_eq!(
            event("SHUTDOWN", Some(&json!({"guest": false})), None),
            "event SHUTDOWN\n{\n  \"guest\": false\n}"
        );
    }
}
