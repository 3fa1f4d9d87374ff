//! Text helpers shared by the documentation model: the default title, conditions in words,
//! description indentation, `@name` references, anchors and literal blocks. They work on strings only and
//! know nothing of the model or the output formats.

use qapi_schema::IfCond;

/// The manual's title when none is given: for QEMU's well-known root schemas (recognized by
/// the last components of `root_path`) the title of QEMU's own manual, otherwise
/// "`root_stem` reference".
pub fn default_title(root_path: &str, root_stem: &str) -> String {
    const KNOWN: [(&[&str], &str); 3] = [
        (
            &["storage-daemon", "qapi", "qapi-schema.json"],
            "QEMU Storage Daemon QMP Reference Manual",
        ),
        (
            &["qga", "qapi-schema.json"],
            "QEMU Guest Agent Protocol Reference",
        ),
        (&["qapi", "qapi-schema.json"], "QEMU QMP Reference Manual"),
    ];
    let components: Vec<&str> = root_path
        .split(['/', '\\'])
        .filter(|component| !component.is_empty() && *component != ".")
        .collect();
    KNOWN
        .iter()
        .find(|(suffix, _)| components.ends_with(suffix))
        .map(|(_, title)| title.to_string())
        .unwrap_or_else(|| format!("{root_stem} reference"))
}

/// A condition in words: `CONFIG_A and (CONFIG_B or not CONFIG_C)`.
pub fn condition_words(ifcond: &IfCond) -> String {
    fn words(ifcond: &IfCond, nested: bool) -> String {
        let join = |operands: &[IfCond], separator: &str| {
            let text = operands
                .iter()
                .map(|operand| words(operand, true))
                .collect::<Vec<_>>()
                .join(separator);
            if nested && operands.len() > 1 {
                format!("({text})")
            } else {
                text
            }
        };
        match ifcond {
            IfCond::Name(name) => name.clone(),
            IfCond::All(operands) => join(operands, " and "),
            IfCond::Any(operands) => join(operands, " or "),
            IfCond::Not(operand) => format!("not {}", words(operand, true)),
            IfCond::Preprocessor { text, .. } => text.clone(),
        }
    }
    words(ifcond, false)
}

/// Removes the common indentation of the lines after the first (a description's first line
/// follows its `@name:` tag and has none of its own), and blank lines at either end.
pub fn dedent(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let mut rest: Vec<&str> = lines.collect();
    // An indented first line (text that starts below its tag) is part of the block.
    let first = if first.starts_with(char::is_whitespace) {
        rest.insert(0, first);
        ""
    } else {
        first.trim()
    };
    let indent = rest
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::from(first);
    for line in rest {
        out.push('\n');
        out.push_str(line.get(indent..).unwrap_or("").trim_end());
    }
    out.trim_matches('\n').to_string()
}

/// Writes `@name` references as reST literals, as QEMU's generator does.
pub fn mark_member_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(position) = rest.find('@') {
        out.push_str(&rest[..position]);
        let after = &rest[position + 1..];
        let length = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(after.len());
        if length == 0 {
            out.push('@');
        } else {
            out.push_str("``");
            out.push_str(&after[..length]);
            out.push_str("``");
        }
        rest = &after[length..];
    }
    out.push_str(rest);
    out
}

/// A lowercase identifier made of letters, digits and `-`, for anchors and file names.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for character in text.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// Text shown verbatim, as the manuals of QEMU 9.1 and older show `Example:` sections: an
/// rST literal block.
pub(super) fn literal_block(text: &str) -> String {
    let mut block = String::from("::\n\n");
    for line in text.lines() {
        if !line.is_empty() {
            block.push_str("  ");
            block.push_str(line);
        }
        block.push('\n');
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_titles_follow_qemu_manuals() {
        let title = |path: &str| default_title(path, "qapi-schema");
        assert_eq!(
            title("/src/qemu/qapi/qapi-schema.json"),
            "QEMU QMP Reference Manual"
        );
        assert_eq!(
            title("qga/qapi-schema.json"),
            "QEMU Guest Agent Protocol Reference"
        );
        assert_eq!(
            title("./storage-daemon/qapi/qapi-schema.json"),
            "QEMU Storage Daemon QMP Reference Manual"
        );
        assert_eq!(title("qapi-schema.json"), "qapi-schema reference");
        assert_eq!(title("other/qapi-schema.json"), "qapi-schema reference");
        assert_eq!(default_title("x/demo.json", "demo"), "demo reference");
    }

    #[test]
    fn conditions_read_as_words() {
        let name = |n: &str| IfCond::Name(n.to_string());
        let ifcond = IfCond::All(vec![
            name("A"),
            IfCond::Any(vec![name("B"), IfCond::Not(Box::new(name("C")))]),
        ]);
        assert_eq!(condition_words(&ifcond), "A and (B or not C)");
    }

    #[test]
    fn member_references_become_literals() {
        assert_eq!(
            mark_member_references("see @foo-bar, mail a@ b"),
            "see ``foo-bar``, mail a@ b"
        );
    }

    #[test]
    fn continuation_lines_lose_their_indentation() {
        assert_eq!(
            dedent("first\n    second\n      third"),
            "first\nsecond\n  third"
        );
        assert_eq!(dedent("\n   body\n   more\n"), "body\nmore");
        assert_eq!(dedent("    - item\n      more"), "- item\n  more");
    }
}
