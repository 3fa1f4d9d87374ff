//! What a line typed at the shell means: a built-in command, a QMP command with `key=value`
//! arguments, or a whole command as a JSON object. Also the splitting into words that the
//! completer shares, so both read a line the same way.

use serde_json::{Map, Value};

/// One word of a line: where it is and its text as typed (quotes kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    /// The byte offset where it starts.
    pub start: usize,
    /// Its text.
    pub text: &'a str,
}

/// The words of `line`, and whether the last one is still open: inside quotes or brackets
/// that do not close. Words are separated by blanks outside `"…"`, `'…'`, `{…}` and `[…]`;
/// a single quote opens a quoted part only at the start of a word or of a value (after the
/// first `=`), so that `desc=it's` stays one plain word.
pub(crate) fn split(line: &str) -> (Vec<Word<'_>>, bool) {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (index, c) in line.char_indices() {
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if open == '"' && c == '\\' {
                escaped = true;
            } else if c == open {
                quote = None;
            }
            continue;
        }
        if c.is_whitespace() && depth == 0 {
            if let Some(begin) = start.take() {
                words.push(Word {
                    start: begin,
                    text: &line[begin..index],
                });
            }
            continue;
        }
        // Where a value starts: right after the first `=` of the word.
        let at_value_start = match start {
            None => true,
            Some(begin) => {
                let so_far = &line[begin..index];
                so_far.find('=').is_some_and(|at| at + 1 == so_far.len())
            }
        };
        if start.is_none() {
            start = Some(index);
        }
        match c {
            '"' => quote = Some('"'),
            '\'' if at_value_start => quote = Some('\''),
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let open = quote.is_some() || depth > 0;
    if let Some(begin) = start {
        words.push(Word {
            start: begin,
            text: &line[begin..],
        });
    }
    (words, open)
}

/// An argument as typed: `key=value`, the key maybe dotted (`file.filename`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pair {
    /// The key's parts: `["file", "filename"]`.
    pub path: Vec<String>,
    /// The value's text as typed.
    pub raw: String,
}

impl Pair {
    /// Reads `key=value`; `None` when there is no `=`.
    pub(crate) fn parse(word: &str) -> Option<Pair> {
        let (key, raw) = word.split_once('=')?;
        Some(Pair {
            path: key.split('.').map(str::to_owned).collect(),
            raw: raw.to_owned(),
        })
    }

    /// The key as typed.
    pub(crate) fn key(&self) -> String {
        self.path.join(".")
    }

    /// The value: `'text'` is the text; JSON that parses (numbers, `true`, `null`, strings
    /// in double quotes, objects, arrays) is that JSON; anything else is a string.
    pub(crate) fn value(&self) -> Value {
        let raw = self.raw.as_str();
        if raw.len() >= 2 && raw.starts_with('\'') && raw.ends_with('\'') {
            return Value::String(raw[1..raw.len() - 1].to_owned());
        }
        serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned()))
    }

    /// Whether the value was written as JSON of its own kind rather than a bare word: a quoted
    /// string, an object or an array. A bare word such as `123` may be read as a string when
    /// the schema wants one.
    pub(crate) fn is_explicit(&self) -> bool {
        matches!(self.raw.chars().next(), Some('"' | '\'' | '{' | '['))
    }
}

/// What a line asks for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Input {
    /// A blank line.
    Nothing,
    /// `help` or `help COMMAND [key=value…]`.
    Help {
        /// The command to describe.
        command: Option<String>,
        /// Arguments already chosen, for the branch of a union.
        pairs: Vec<Pair>,
    },
    /// `quit` or `exit`.
    Quit,
    /// A command with `key=value` arguments.
    Command {
        /// Its name.
        name: String,
        /// Its arguments.
        pairs: Vec<Pair>,
    },
    /// A command written as a JSON object, `{"execute": …, "arguments": {…}}`.
    Json {
        /// Its name.
        name: String,
        /// Its arguments (an object).
        arguments: Value,
    },
}

/// Reads one line.
pub(crate) fn parse(line: &str) -> Result<Input, String> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Ok(Input::Nothing);
    }
    if trimmed.starts_with('{') {
        return parse_json(trimmed);
    }
    let (words, open) = split(trimmed);
    if open {
        return Err("a quote or bracket is not closed".to_owned());
    }
    let (first, rest) = words.split_first().expect("a non-blank line has a word");
    match first.text {
        "quit" | "exit" if rest.is_empty() => return Ok(Input::Quit),
        "help" | "?" => {
            let Some((command, rest)) = rest.split_first() else {
                return Ok(Input::Help {
                    command: None,
                    pairs: Vec::new(),
                });
            };
            return Ok(Input::Help {
                command: Some(command.text.to_owned()),
                pairs: pairs(rest)?,
            });
        }
        _ => {}
    }
    if first.text.contains('=') {
        return Err(format!(
            "'{}' is not a command name: a line starts with the command",
            first.text
        ));
    }
    Ok(Input::Command {
        name: first.text.to_owned(),
        pairs: pairs(rest)?,
    })
}

fn pairs(words: &[Word]) -> Result<Vec<Pair>, String> {
    words
        .iter()
        .map(|word| {
            let pair = Pair::parse(word.text).ok_or_else(|| {
                format!(
                    "'{}' is not key=value (to give a whole command as JSON, start the line \
                     with '{{')",
                    word.text
                )
            })?;
            if pair.path.iter().any(String::is_empty) {
                return Err(format!("'{}' has an empty member name", pair.key()));
            }
            Ok(pair)
        })
        .collect()
}

fn parse_json(text: &str) -> Result<Input, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| format!("not a JSON object: {error}"))?;
    let Value::Object(mut object) = value else {
        return Err("not a JSON object".to_owned());
    };
    if object.contains_key("exec-oob") {
        return Err("exec-oob is not offered here: use execute".to_owned());
    }
    let name = match object.remove("execute") {
        Some(Value::String(name)) => name,
        Some(_) => return Err("'execute' must be a string".to_owned()),
        None => return Err("the object has no 'execute' member".to_owned()),
    };
    let arguments = match object.remove("arguments") {
        None => Value::Object(Map::new()),
        Some(arguments @ Value::Object(_)) => arguments,
        Some(_) => return Err("'arguments' must be an object".to_owned()),
    };
    // The client numbers requests itself.
    object.remove("id");
    if let Some(key) = object.keys().next() {
        return Err(format!("unexpected member '{key}'"));
    }
    Ok(Input::Json { name, arguments })
}

/// The arguments object `pairs` build: dotted keys make nested objects. A key given twice,
/// or given both with a value and with members, is an error.
pub(crate) fn build(pairs: &[Pair]) -> Result<Value, String> {
    let mut root = Map::new();
    for pair in pairs {
        insert(&mut root, pair, pair.value())?;
    }
    Ok(Value::Object(root))
}

/// Puts `value` where `pair`'s key says in `root`.
pub(crate) fn insert(
    root: &mut Map<String, Value>,
    pair: &Pair,
    value: Value,
) -> Result<(), String> {
    let (last, parents) = pair.path.split_last().expect("a key has a part");
    let mut object = root;
    for (index, part) in parents.iter().enumerate() {
        let slot = object
            .entry(part.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        object = match slot {
            Value::Object(inner) => inner,
            _ => {
                return Err(format!(
                    "'{}' is given both a value and members",
                    pair.path[..=index].join(".")
                ));
            }
        };
    }
    if object.contains_key(last) {
        return Err(format!("'{}' is given twice", pair.key()));
    }
    object.insert(last.clone(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn arguments(line: &str) -> Result<Value, String> {
        match parse(line)? {
            Input::Command { pairs, .. } => build(&pairs),
            other => panic!("not a command: {other:?}"),
        }
    }

    #[test]
    fn words_respect_quotes_and_brackets() {
        let (words, open) = split(r#"a b="x y" c={"k": [1, 2]} d='p q' e=it's"#);
        let texts: Vec<&str> = words.iter().map(|word| word.text).collect();
        assert_eq!(
            texts,
            ["a", r#"b="x y""#, r#"c={"k": [1, 2]}"#, "d='p q'", "e=it's"]
        );
        assert!(!open);
        assert_eq!(words[1].start, 2);
        let (words, open) = split("cmd a=\"unfinished ");
        assert!(open);
        assert_eq!(words.last().unwrap().text, "a=\"unfinished ");
    }

    #[test]
    fn plain_commands_and_builtins() {
        assert_eq!(parse("   ").unwrap(), Input::Nothing);
        assert_eq!(parse("quit").unwrap(), Input::Quit);
        assert_eq!(parse(" exit ").unwrap(), Input::Quit);
        assert_eq!(
            parse("help").unwrap(),
            Input::Help {
                command: None,
                pairs: vec![]
            }
        );
        let Input::Help { command, pairs } = parse("help blockdev-add driver=qcow2").unwrap()
        else {
            panic!()
        };
        assert_eq!(command.as_deref(), Some("blockdev-add"));
        assert_eq!(pairs[0].key(), "driver");
        assert_eq!(arguments("query-status").unwrap(), json!({}));
    }

    #[test]
    fn values_are_json_when_they_parse() {
        assert_eq!(
            arguments("blockdev-add driver=null-co node-name=n0 size=1024").unwrap(),
            json!({"driver": "null-co", "node-name": "n0", "size": 1024})
        );
        assert_eq!(
            arguments(r#"x a=true b=null c=1.5 d="quoted text" e='7' f=[1,"two"] g={"h": {}}"#)
                .unwrap(),
            json!({"a": true, "b": null, "c": 1.5, "d": "quoted text", "e": "7",
                   "f": [1, "two"], "g": {"h": {}}})
        );
        assert_eq!(
            arguments("x a= b=it's").unwrap(),
            json!({"a": "", "b": "it's"})
        );
    }

    #[test]
    fn dotted_keys_nest() {
        assert_eq!(
            arguments("blockdev-add driver=raw file.driver=file file.filename=/tmp/x a.b.c=1")
                .unwrap(),
            json!({"driver": "raw", "file": {"driver": "file", "filename": "/tmp/x"},
                   "a": {"b": {"c": 1}}})
        );
        assert_eq!(arguments("x a=1 a=2").unwrap_err(), "'a' is given twice");
        assert_eq!(
            arguments("x a=1 a.b=2").unwrap_err(),
            "'a' is given both a value and members"
        );
        assert!(parse("x a..b=1").unwrap_err().contains("empty member name"));
    }

    #[test]
    fn bad_lines_say_why() {
        assert!(
            parse("device_del usb0")
                .unwrap_err()
                .contains("not key=value")
        );
        assert!(parse("a=1").unwrap_err().contains("not a command name"));
        assert!(parse("x a=\"open").unwrap_err().contains("not closed"));
        assert!(parse("x a={").unwrap_err().contains("not closed"));
        assert!(parse("{\"execute\": 1}").unwrap_err().contains("string"));
        assert!(parse("{nope").unwrap_err().contains("not a JSON object"));
        assert!(parse("{}").unwrap_err().contains("no 'execute'"));
        assert!(
            parse(r#"{"execute": "x", "bogus": 1}"#)
                .unwrap_err()
                .contains("bogus")
        );
        assert!(
            parse(r#"{"exec-oob": "x"}"#)
                .unwrap_err()
                .contains("exec-oob")
        );
    }

    #[test]
    fn whole_commands_as_json() {
        assert_eq!(
            parse(r#"{"execute": "device_del", "arguments": {"id": "usb0"}, "id": 7}"#).unwrap(),
            Input::Json {
                name: "device_del".into(),
                arguments: json!({"id": "usb0"})
            }
        );
        assert_eq!(
            parse(r#"{"execute": "quit"}"#).unwrap(),
            Input::Json {
                name: "quit".into(),
                arguments: json!({})
            }
        );
    }
}
