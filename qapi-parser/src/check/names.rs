//! Name rules: how definitions, members, enum values, branches and features must be spelled
//! (by kind, and by release where releases differ), and the C spelling that decides whether
//! two names clash.

use std::fmt;

use super::checker::{Checker, Result};
use crate::ast::Meta;
use crate::release::Rule;
use crate::source::Span;

/// The ways a name may be spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    /// Types: `CamelCase`.
    Camel,
    /// Events: `UPPER_CASE`.
    Upper,
    /// Commands, members, values, features: `lower-case`.
    Lower {
        permit_upper: bool,
        permit_underscore: bool,
    },
}

pub(super) const LOWER: Case = Case::Lower {
    permit_upper: false,
    permit_underscore: false,
};

impl Checker<'_> {
    pub(super) fn definition_name(&self, name: &str, meta: Meta, span: Span) -> Result<()> {
        match meta {
            Meta::Event => self.name(name, Case::Upper, "event name", span),
            Meta::Command => {
                let exception = self.pragma.command_name_exceptions.contains(name);
                self.name(
                    name,
                    Case::Lower {
                        permit_upper: !self.dialect.holds(Rule::NameCaseRules),
                        permit_underscore: exception,
                    },
                    "command name",
                    span,
                )
            }
            _ => {
                let what = format!("{} name", meta.keyword());
                self.name(name, Case::Camel, &what, span)?;
                if name.ends_with("Kind") && self.dialect.holds(Rule::KindSuffixReserved) {
                    return Err(self.error(
                        format!("type names must not end in 'Kind', which is kept for the implicit enums of simple unions: '{name}'"),
                        span,
                        "reserved suffix",
                    ));
                }
                if name.ends_with("List") {
                    return Err(self.error(
                        format!("type names must not end in 'List', which is kept for array types: '{name}'"),
                        span,
                        "reserved suffix",
                    ));
                }
                Ok(())
            }
        }
    }

    /// Checks a name's spelling for `case`; `what` names the kind of name.
    pub(super) fn name(
        &self,
        name: &str,
        case: Case,
        what: &(impl fmt::Display + ?Sized),
        span: Span,
    ) -> Result<()> {
        self.spelled_name(name, name, case, what, span)
    }

    /// Checks `spelled`, the form of `name` that the rules apply to.
    pub(super) fn spelled_name(
        &self,
        name: &str,
        spelled: &str,
        case: Case,
        what: &(impl fmt::Display + ?Sized),
        span: Span,
    ) -> Result<()> {
        let Some(stem) = name_stem(spelled) else {
            return Err(self
                .error(format!("'{name}' is not a valid {what}"), span, "invalid name")
                .with_note("names start with a letter and continue with letters, digits, '-' and '_', optionally after an 'x-' or '__vendor.example_' prefix; 'q_' is reserved"));
        };
        if !self.dialect.holds(Rule::NameCaseRules) {
            // Before QEMU 6.0 only lower-case names had a rule: no upper case, unless a
            // pragma (or being a command's name) allowed it.
            return match case {
                Case::Lower {
                    permit_upper: false,
                    ..
                } if name.bytes().any(|b| b.is_ascii_uppercase()) => Err(self.error(
                    format!("{what} '{name}' must not contain upper case letters"),
                    span,
                    "here",
                )),
                _ => Ok(()),
            };
        }
        let problem = match case {
            Case::Upper if stem.bytes().any(|b| b.is_ascii_lowercase() || b == b'-') => {
                "must not contain lower case letters or '-'"
            }
            Case::Lower {
                permit_upper,
                permit_underscore,
            } if (!permit_upper && stem.bytes().any(|b| b.is_ascii_uppercase()))
                || (!permit_underscore && stem.contains('_')) =>
            {
                "must not contain upper case letters or '_'"
            }
            Case::Camel if !is_camel_case(stem) => "must be written in CamelCase",
            _ => return Ok(()),
        };
        Err(self.error(format!("{what} '{name}' {problem}"), span, "here"))
    }
}

/// The part of a valid name after its `__vendor_` and `x-` prefixes, or `None` if the name is
/// not valid (including names that are reserved because they map to `q_…` in C).
fn name_stem(name: &str) -> Option<&str> {
    let mut rest = name;
    if let Some(after) = rest.strip_prefix("__") {
        let vendor_length = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-')
            .count();
        if vendor_length == 0 || after.as_bytes().get(vendor_length) != Some(&b'_') {
            return None;
        }
        rest = &after[vendor_length + 1..];
    }
    let is_stem = |text: &str| {
        text.starts_with(|c: char| c.is_ascii_alphabetic())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let stem = match rest.get(..2) {
        Some("x-" | "X-") if is_stem(&rest[2..]) => &rest[2..],
        _ if is_stem(rest) => rest,
        _ => return None,
    };
    if c_name(name).starts_with("q_") {
        return None;
    }
    Some(stem)
}

/// `[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*`
fn is_camel_case(stem: &str) -> bool {
    stem.starts_with(|c: char| c.is_ascii_uppercase())
        && stem.bytes().all(|b| b.is_ascii_alphanumeric())
        && stem.bytes().skip(1).any(|b| b.is_ascii_lowercase())
}

/// The name with every character other than ASCII letters, digits and `_` turned into `_`,
/// which is how QEMU's C code spells it; names that agree on it clash.
pub(crate) fn c_name(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return std::borrow::Cow::Borrowed(name);
    }
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_follow_the_prefix_rules() {
        assert_eq!(name_stem("x-foo"), Some("foo"));
        assert_eq!(name_stem("__org.example_x-foo"), Some("foo"));
        assert_eq!(name_stem("x-1a"), Some("x-1a"));
        assert_eq!(name_stem("__bad"), None);
        assert_eq!(name_stem("q_obj"), None);
        assert_eq!(name_stem("q-obj"), None);
        assert_eq!(name_stem("1abc"), None);
        assert_eq!(name_stem("a.b"), None);
    }

    #[test]
    fn camel_case_needs_a_lower_case_letter() {
        assert!(is_camel_case("Foo"));
        assert!(!is_camel_case("FOO"));
        assert!(!is_camel_case("foo"));
        assert!(!is_camel_case("Foo_Bar"));
    }
}
