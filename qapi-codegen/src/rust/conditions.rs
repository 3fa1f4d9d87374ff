//! What becomes of an item's `if` condition in the Rust output: kept, dropped, or kept under a
//! `#[cfg]` on the cargo features that [`Options::features`](super::Options::features) maps
//! condition symbols to.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use qapi_schema::IfCond;
use quote::quote;

use crate::Symbols;

/// How conditions are decided for one generation.
pub struct Conditions<'o> {
    symbols: Option<&'o Symbols>,
    features: &'o BTreeMap<String, String>,
}

/// What a condition comes to.
#[derive(Clone, Debug)]
pub enum Presence {
    /// The item is in the output unconditionally.
    Always,
    /// The item is left out.
    Never,
    /// The item is in the output under this `cfg` predicate.
    Cfg(TokenStream),
}

impl<'o> Conditions<'o> {
    pub fn new(symbols: Option<&'o Symbols>, features: &'o BTreeMap<String, String>) -> Self {
        Conditions { symbols, features }
    }

    /// Whether every item is kept whatever its condition (no symbols and no features given);
    /// conditions are then only shown in the docs.
    pub fn outputs_everything(&self) -> bool {
        self.symbols.is_none() && self.features.is_empty()
    }

    /// What `ifcond` comes to: symbols mapped to features become `feature = "…"`
    /// predicates, the others are decided by the symbol set, or count as defined when there
    /// is none.
    pub fn presence(&self, ifcond: Option<&IfCond>) -> Presence {
        match ifcond {
            None => Presence::Always,
            Some(_) if self.outputs_everything() => Presence::Always,
            Some(ifcond) => self.reduce(ifcond),
        }
    }

    /// Whether an item with `ifcond` is in the output at all.
    pub fn in_output(&self, ifcond: Option<&IfCond>) -> bool {
        !matches!(self.presence(ifcond), Presence::Never)
    }

    /// `#[cfg(…)]` for an item with `ifcond`, or nothing when it is unconditional.
    pub fn attribute(&self, ifcond: Option<&IfCond>) -> TokenStream {
        match self.presence(ifcond) {
            Presence::Cfg(predicate) => quote!(#[cfg(#predicate)]),
            Presence::Always | Presence::Never => TokenStream::new(),
        }
    }

    /// `#[cfg(not(…))]`: for what stands in for an item with `ifcond` when a cargo feature
    /// leaves it out; nothing when no feature decides it.
    pub fn attribute_unless(&self, ifcond: Option<&IfCond>) -> TokenStream {
        match self.presence(ifcond) {
            Presence::Cfg(predicate) => quote!(#[cfg(not(#predicate))]),
            Presence::Always | Presence::Never => TokenStream::new(),
        }
    }

    fn reduce(&self, ifcond: &IfCond) -> Presence {
        match ifcond {
            IfCond::Name(symbol) => match (self.features.get(symbol), self.symbols) {
                (Some(feature), _) => Presence::Cfg(quote!(feature = #feature)),
                (None, Some(symbols)) if !symbols.is_defined(symbol) => Presence::Never,
                (None, _) => Presence::Always,
            },
            IfCond::Not(operand) => match self.reduce(operand) {
                Presence::Always => Presence::Never,
                Presence::Never => Presence::Always,
                Presence::Cfg(predicate) => Presence::Cfg(quote!(not(#predicate))),
            },
            IfCond::Preprocessor { meaning, .. } => self.reduce(meaning),
            IfCond::All(operands) => self.combine(operands, false),
            IfCond::Any(operands) => self.combine(operands, true),
        }
    }

    /// `any` (when `any`) or `all` of `operands`: an operand that is always (for `any`) or
    /// never (for `all`) there settles the whole, the opposite drops out.
    fn combine(&self, operands: &[IfCond], any: bool) -> Presence {
        let settled = |any| {
            if any {
                Presence::Always
            } else {
                Presence::Never
            }
        };
        let mut open = Vec::new();
        for operand in operands {
            match self.reduce(operand) {
                Presence::Always if any => return settled(true),
                Presence::Never if !any => return settled(false),
                Presence::Always | Presence::Never => {}
                Presence::Cfg(predicate) => open.push(predicate),
            }
        }
        let combinator = if any { quote!(any) } else { quote!(all) };
        match open.len() {
            0 => settled(!any),
            1 => Presence::Cfg(open.pop().expect("one predicate")),
            _ => Presence::Cfg(quote!(#combinator(#(#open),*))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(symbol: &str) -> IfCond {
        IfCond::Name(symbol.to_owned())
    }

    fn show(presence: Presence) -> String {
        match presence {
            Presence::Always => "always".to_owned(),
            Presence::Never => "never".to_owned(),
            Presence::Cfg(predicate) => predicate.to_string(),
        }
    }

    #[test]
    fn features_become_predicates_and_symbols_are_decided() {
        let symbols = Symbols::new(["CONFIG_KVM"]);
        let features = BTreeMap::from([("CONFIG_SPICE".to_owned(), "spice".to_owned())]);
        let conditions = Conditions::new(Some(&symbols), &features);
        let presence = |ifcond: IfCond| show(conditions.presence(Some(&ifcond)));
        assert_eq!(presence(name("CONFIG_KVM")), "always");
        assert_eq!(presence(name("CONFIG_TCG")), "never");
        assert_eq!(presence(name("CONFIG_SPICE")), "feature = \"spice\"");
        assert_eq!(
            presence(IfCond::Not(Box::new(name("CONFIG_SPICE")))),
            "not (feature = \"spice\")"
        );
        assert_eq!(
            presence(IfCond::All(vec![name("CONFIG_KVM"), name("CONFIG_SPICE")])),
            "feature = \"spice\""
        );
        assert_eq!(
            presence(IfCond::All(vec![name("CONFIG_TCG"), name("CONFIG_SPICE")])),
            "never"
        );
        assert_eq!(
            presence(IfCond::Any(vec![name("CONFIG_TCG"), name("CONFIG_SPICE")])),
            "feature = \"spice\""
        );
        assert_eq!(
            presence(IfCond::Any(vec![name("CONFIG_KVM"), name("CONFIG_SPICE")])),
            "always"
        );
    }

    #[test]
    fn features_without_symbols_keep_the_other_conditions() {
        let features = BTreeMap::from([("CONFIG_KVM".to_owned(), "kvm".to_owned())]);
        let conditions = Conditions::new(None, &features);
        let all = IfCond::All(vec![name("CONFIG_KVM"), name("TARGET_I386")]);
        assert_eq!(show(conditions.presence(Some(&all))), "feature = \"kvm\"");
        assert_eq!(
            show(conditions.presence(Some(&name("TARGET_S390X")))),
            "always"
        );
    }

    #[test]
    fn without_symbols_or_features_everything_is_kept() {
        let features = BTreeMap::new();
        let conditions = Conditions::new(None, &features);
        assert!(conditions.outputs_everything());
        assert!(matches!(
            conditions.presence(Some(&name("X"))),
            Presence::Always
        ));
    }
}
