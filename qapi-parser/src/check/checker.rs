//! The state of checking one expression, shared by the structural checks and the name and
//! condition rules.

use crate::diagnostic::Diagnostic;
use crate::release::Dialect;
use crate::schema::Pragma;
use crate::source::Span;

/// Checks one expression; every error is reported at the start of the expression (`at`),
/// with a label at the offending part.
pub(super) struct Checker<'a> {
    pub(super) at: Span,
    pub(super) pragma: &'a Pragma,
    pub(super) dialect: Dialect,
}

pub(super) type Result<T> = std::result::Result<T, Diagnostic>;

impl Checker<'_> {
    /// An error at the expression, labelled at `focus`.
    pub(super) fn error(&self, message: impl Into<String>, focus: Span, label: &str) -> Diagnostic {
        Diagnostic::error(self.at, message).with_label(focus, label)
    }
}
