//! Condition symbols: the set of configuration symbols a build defines, and how a backend
//! decides whether a conditional item is kept.

use std::collections::BTreeSet;

use qapi_schema::schema::IfCond;

/// The configuration symbols one build defines, such as `CONFIG_KVM`; every other symbol is
/// undefined.
///
/// Backends take an `Option<&Symbols>`: `None` keeps every item whatever its condition, which
/// is what a client that does not know the build it talks to needs; `Some` keeps exactly the
/// items whose conditions hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Symbols {
    defined: BTreeSet<String>,
}

impl Symbols {
    /// The set of the given symbols.
    pub fn new<I, S>(symbols: I) -> Symbols
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Symbols {
            defined: symbols.into_iter().map(Into::into).collect(),
        }
    }

    /// Reads a symbol file: one symbol per line. Surrounding white space is ignored, and so
    /// are empty lines and lines starting with `#`.
    pub fn parse(text: &str) -> Symbols {
        Symbols::new(
            text.lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with('#')),
        )
    }

    /// Adds a symbol.
    pub fn insert(&mut self, symbol: impl Into<String>) {
        self.defined.insert(symbol.into());
    }

    /// Whether `symbol` is defined.
    pub fn is_defined(&self, symbol: &str) -> bool {
        self.defined.contains(symbol)
    }

    /// Whether a condition holds; no condition always holds.
    pub fn holds(&self, ifcond: Option<&IfCond>) -> bool {
        ifcond.is_none_or(|ifcond| ifcond.evaluate(&|symbol| self.is_defined(symbol)))
    }

    /// The defined symbols, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.defined.iter().map(String::as_str)
    }
}

/// Whether an item with condition `ifcond` is kept: always when `symbols` is `None`,
/// otherwise when the condition holds.
pub fn keeps(symbols: Option<&Symbols>, ifcond: Option<&IfCond>) -> bool {
    symbols.is_none_or(|symbols| symbols.holds(ifcond))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_skips_blank_lines_and_comments() {
        let symbols = Symbols::parse("# a build\nCONFIG_KVM\n\n  CONFIG_TCG  \r\n");
        assert_eq!(
            symbols.iter().collect::<Vec<_>>(),
            ["CONFIG_KVM", "CONFIG_TCG"]
        );
    }

    #[test]
    fn conditions_are_evaluated_against_the_set() {
        let symbols = Symbols::new(["A"]);
        let name = |symbol: &str| IfCond::Name(symbol.to_string());
        assert!(symbols.holds(None));
        assert!(symbols.holds(Some(&name("A"))));
        assert!(!symbols.holds(Some(&name("B"))));
        assert!(symbols.holds(Some(&IfCond::Not(Box::new(name("B"))))));
        assert!(!symbols.holds(Some(&IfCond::All(vec![name("A"), name("B")]))));
        assert!(symbols.holds(Some(&IfCond::Any(vec![name("A"), name("B")]))));
        assert!(keeps(None, Some(&name("B"))));
        assert!(!keeps(Some(&symbols), Some(&name("B"))));
    }
}
