//! Tab completion from the peer's own description of its commands: command names first,
//! then `name=` for the arguments not given yet (with the members of the branch a union's
//! tag has chosen), then the values an argument's type allows.

use std::rc::Rc;

use rustyline::completion::{Completer, Pair as Candidate};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use serde_json::{Map, Value};

use super::catalogue::Catalogue;
use super::line::{self, Pair};

/// The shell's own commands, completed with the peer's.
pub(crate) const BUILTINS: [&str; 3] = ["help", "quit", "exit"];

/// The line editor's helper: completion only.
pub(crate) struct ShellHelper {
    catalogue: Rc<Catalogue>,
}

impl ShellHelper {
    pub(crate) fn new(catalogue: Rc<Catalogue>) -> ShellHelper {
        ShellHelper { catalogue }
    }
}

impl Completer for ShellHelper {
    type Candidate = Candidate;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Candidate>)> {
        Ok(complete(&self.catalogue, line, pos))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {}

impl Validator for ShellHelper {}

impl Helper for ShellHelper {}

/// Where the word being completed starts in `line` (the text before the cursor at `pos`),
/// and what may replace it.
pub(crate) fn complete(catalogue: &Catalogue, line: &str, pos: usize) -> (usize, Vec<Candidate>) {
    let Some(before) = line.get(..pos) else {
        return (pos, Vec::new());
    };
    if before.trim_start().starts_with('{') {
        return (pos, Vec::new());
    }
    let (mut words, open) = line::split(before);
    let ends_in_blank = before.ends_with(char::is_whitespace);
    // The word under the cursor: the last one, unless a blank follows it.
    let current = if ends_in_blank && !open {
        None
    } else {
        words.pop()
    };
    let (start, partial) = current.map_or((pos, ""), |word| (word.start, word.text));
    let Some((first, given)) = words.split_first() else {
        return (start, command_names(catalogue, partial, true));
    };
    let command = match first.text {
        "help" | "?" => match given.split_first() {
            None => return (start, command_names(catalogue, partial, false)),
            Some((command, _)) => command.text,
        },
        command => command,
    };
    let given: Vec<Pair> = given
        .iter()
        .filter_map(|word| Pair::parse(word.text))
        .collect();
    let given = lenient_build(&given);
    match partial.split_once('=') {
        Some((key, value)) => {
            let path: Vec<String> = key.split('.').map(str::to_owned).collect();
            let start = start + key.len() + 1;
            (start, values(catalogue, command, &path, &given, value))
        }
        None => (start, keys(catalogue, command, &given, partial)),
    }
}

/// The arguments typed so far, skipping any that do not fit together.
fn lenient_build(pairs: &[Pair]) -> Value {
    let mut root = Map::new();
    for pair in pairs {
        if pair.path.iter().all(|part| !part.is_empty()) {
            let _ = line::insert(&mut root, pair, pair.value());
        }
    }
    Value::Object(root)
}

fn command_names(catalogue: &Catalogue, partial: &str, builtins: bool) -> Vec<Candidate> {
    let extra = if builtins { &BUILTINS[..] } else { &[] };
    let mut names: Vec<&str> = catalogue
        .names()
        .iter()
        .map(String::as_str)
        .chain(extra.iter().copied())
        .filter(|name| name.starts_with(partial))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| Candidate {
            display: name.to_owned(),
            replacement: format!("{name} "),
        })
        .collect()
}

/// `name=` for every member at the dotted prefix of `partial` that is not given yet; `name.`
/// for one whose value may be an object, whose members come next.
fn keys(catalogue: &Catalogue, command: &str, given: &Value, partial: &str) -> Vec<Candidate> {
    let (parent, prefix) = match partial.rsplit_once('.') {
        Some((parent, prefix)) => (Some(parent), prefix),
        None => (None, partial),
    };
    let path: Vec<String> = parent
        .map(|parent| parent.split('.').map(str::to_owned).collect())
        .unwrap_or_default();
    let ty = if path.is_empty() {
        catalogue.arguments_type(command)
    } else {
        catalogue.type_at(command, &path, given)
    };
    let Some(ty) = ty else {
        return Vec::new();
    };
    let at = path
        .iter()
        .try_fold(given, |value, part| value.get(part))
        .filter(|value| value.is_object());
    let lead = parent.map_or(String::new(), |parent| format!("{parent}."));
    catalogue
        .members(ty, at)
        .into_iter()
        .filter(|member| member.name.starts_with(prefix))
        .flat_map(|member| {
            let (whole, nested) = catalogue.forms(&member.ty);
            let present = at.and_then(|value| value.get(&member.name));
            let open = present.is_none_or(Value::is_object);
            let whole = whole && present.is_none();
            let nested = nested && open;
            [(whole, '='), (nested, '.')]
                .into_iter()
                .filter(|&(offered, _)| offered)
                .map(|(_, suffix)| Candidate {
                    display: format!("{}{suffix}", member.name),
                    replacement: format!("{lead}{}{suffix}", member.name),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The values the type at `path` allows that start with `prefix`.
fn values(
    catalogue: &Catalogue,
    command: &str,
    path: &[String],
    given: &Value,
    prefix: &str,
) -> Vec<Candidate> {
    let Some(ty) = catalogue.type_at(command, path, given) else {
        return Vec::new();
    };
    catalogue
        .values(ty)
        .into_iter()
        .filter(|value| value.starts_with(prefix))
        .map(|value| Candidate {
            replacement: format!("{value} "),
            display: value,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::catalogue::tests::sample;
    use super::*;

    /// The replacements offered with the cursor at the end of `line`, and where they go.
    fn offered(line: &str) -> (usize, Vec<String>) {
        let catalogue = sample();
        let (start, candidates) = complete(&catalogue, line, line.len());
        let replacements = candidates
            .into_iter()
            .map(|candidate| candidate.replacement)
            .collect();
        (start, replacements)
    }

    #[test]
    fn first_word_is_a_command_or_builtin() {
        assert_eq!(offered("query-sta").1, ["query-stats ", "query-status "]);
        assert_eq!(offered("query-statu"), (0, vec!["query-status ".into()]));
        assert_eq!(offered("  q").0, 2);
        assert_eq!(offered("he").1, ["help "]);
        assert_eq!(offered("").1.len(), 8);
        assert_eq!(offered("help qom").1, ["qom-list "]);
        assert!(offered("nothing-like-this").1.is_empty());
    }

    #[test]
    fn argument_names_not_given_yet() {
        assert_eq!(offered("qom-list pa"), (9, vec!["path=".into()]));
        assert_eq!(offered("qom-list ").1, ["path="]);
        assert!(offered("qom-list path=/ ").1.is_empty());
        assert_eq!(
            offered("blockdev-add ").1,
            ["driver=", "node-name=", "discard=", "read-only="]
        );
        assert_eq!(
            offered("blockdev-add node-name=n0 ").1,
            ["driver=", "discard=", "read-only="]
        );
        assert!(offered("query-status ").1.is_empty());
        assert!(offered("no-such-command a").1.is_empty());
        assert!(offered(r#"{"execute": "qom-"#).1.is_empty());
    }

    #[test]
    fn branch_members_once_the_tag_is_given() {
        assert_eq!(
            offered("blockdev-add driver=file ").1,
            ["node-name=", "discard=", "read-only=", "filename=", "aio="]
        );
        // An object member opens with a dot; its own members follow, by its own tag.
        // An alternate with an object alternative offers both forms.
        assert_eq!(offered("blockdev-add driver=raw fi").1, ["file=", "file."]);
        assert_eq!(
            offered("blockdev-add driver=raw file.driver=file file.f").1,
            ["file.filename="]
        );
        assert_eq!(
            offered("blockdev-add driver=raw file.driver=file file.").0,
            "blockdev-add driver=raw file.driver=file ".len()
        );
    }

    #[test]
    fn values_of_the_argument_type() {
        let line = "blockdev-add driver=";
        assert_eq!(
            offered(line),
            (
                line.len(),
                vec!["file ".into(), "raw ".into(), "qcow2 ".into()]
            )
        );
        assert_eq!(offered("blockdev-add driver=q").1, ["qcow2 "]);
        assert_eq!(offered("blockdev-add read-only=").1, ["true ", "false "]);
        assert_eq!(offered("blockdev-add driver=file aio=u").1, ["unmap "]);
        assert_eq!(
            offered("blockdev-add driver=raw file.driver=file file.aio=").1,
            ["ignore ", "unmap "]
        );
        // An alternate offers what its alternatives allow.
        assert_eq!(offered("blockdev-add driver=raw file=n").1, ["null "]);
        assert!(offered("qom-list path=").1.is_empty());
        assert!(offered("help blockdev-add driver=r").1 == ["raw "]);
    }

    #[test]
    fn the_cursor_need_not_be_at_the_end() {
        let catalogue = sample();
        let line = "qom-list pa xyz";
        let (start, candidates) = complete(&catalogue, line, 11);
        assert_eq!(start, 9);
        assert_eq!(candidates[0].replacement, "path=");
        // A position inside a character does not panic.
        let (_, candidates) = complete(&catalogue, "é", 1);
        assert!(candidates.is_empty());
    }
}
