//! `if` conditions: the structured form (`{'all': [...]}`, `{'any': ...}`, `{'not': ...}`,
//! symbols) and, for releases before 6.2, C preprocessor expressions in strings.

use std::fmt;

use super::checker::{Checker, Result};
use crate::ast::{Object, Value, ValueKind};
use crate::preprocessor;
use crate::release::Rule;
use crate::schema::IfCond;
use crate::source::Span;

impl Checker<'_> {
    pub(super) fn ifcond(
        &self,
        object: &Object,
        what: &(impl fmt::Display + ?Sized),
    ) -> Result<Option<IfCond>> {
        match object.get("if") {
            Some(member) => self.condition(&member.value, what).map(Some),
            None => Ok(None),
        }
    }

    pub(super) fn ifcond_in(
        &self,
        object: Option<&Object>,
        what: &(impl fmt::Display + ?Sized),
    ) -> Result<Option<IfCond>> {
        match object {
            Some(object) => self.ifcond(object, what),
            None => Ok(None),
        }
    }

    pub(super) fn condition(
        &self,
        value: &Value,
        what: &(impl fmt::Display + ?Sized),
    ) -> Result<IfCond> {
        let structured = self.dialect.holds(Rule::StructuredConditions);
        if self.dialect.holds(Rule::StringConditions) {
            match &value.kind {
                ValueKind::String(symbol) if structured && is_symbol(symbol) => {}
                ValueKind::String(text) => {
                    let condition = self.preprocessor_condition(text, value.span, what)?;
                    return Ok(if structured {
                        condition
                    } else {
                        IfCond::All(vec![condition])
                    });
                }
                ValueKind::Array(elements) => {
                    if elements.is_empty() {
                        return Err(self.error(
                            format!(
                                "the 'if' condition of {what} is an empty list, which says nothing"
                            ),
                            value.span,
                            "empty",
                        ));
                    }
                    let operands = elements
                        .iter()
                        .map(|element| match element.as_str() {
                            Some(symbol) if structured && is_symbol(symbol) => {
                                Ok(IfCond::Name(symbol.to_string()))
                            }
                            Some(text) => self.preprocessor_condition(text, element.span, what),
                            None => Err(self.error(
                                format!("the 'if' condition of {what} must be a string or a list of strings"),
                                element.span,
                                "not a string",
                            )),
                        })
                        .collect::<Result<Vec<_>>>()?;
                    return Ok(IfCond::All(operands));
                }
                _ if !structured => {
                    return Err(self.error(
                        format!(
                            "the 'if' condition of {what} must be a string or a list of strings"
                        ),
                        value.span,
                        "neither",
                    ));
                }
                _ => {}
            }
        }
        match &value.kind {
            ValueKind::String(symbol) => {
                if !is_symbol(symbol) {
                    return Err(self.error(
                        format!("the condition '{symbol}' of {what} is not a valid symbol (upper case letters, digits and '_', starting with a letter)"),
                        value.span,
                        "invalid symbol",
                    ));
                }
                Ok(IfCond::Name(symbol.clone()))
            }
            ValueKind::Object(operators) => {
                let source = format!("the 'if' condition of {what}");
                self.keys(operators, &source, &[], &["all", "any", "not"])?;
                let (Some((operator, operand)), 1) = (operators.first(), operators.len()) else {
                    return Err(self.error(
                        format!("{source} must have exactly one of 'all', 'any' and 'not'"),
                        value.span,
                        "here",
                    ));
                };
                let (operator, operand) = (operator.as_str(), &operand.value);
                if operator == "not" {
                    return Ok(IfCond::Not(Box::new(self.condition(operand, what)?)));
                }
                let Some(operands) = operand.as_array() else {
                    return Err(self.error(
                        format!(
                            "'{operator}' in the condition of {what} takes an array of conditions"
                        ),
                        operand.span,
                        "not an array",
                    ));
                };
                if operands.is_empty() {
                    return Err(self.error(
                        format!("'{operator}' in the condition of {what} has no conditions"),
                        operand.span,
                        "empty",
                    ));
                }
                let operands = operands
                    .iter()
                    .map(|operand| self.condition(operand, what))
                    .collect::<Result<Vec<_>>>()?;
                Ok(if operator == "all" {
                    IfCond::All(operands)
                } else {
                    IfCond::Any(operands)
                })
            }
            _ => Err(self.error(
                format!("the 'if' condition of {what} must be a string or an object"),
                value.span,
                "neither",
            )),
        }
    }

    /// A condition written as a C preprocessor expression.
    fn preprocessor_condition(
        &self,
        text: &str,
        span: Span,
        what: &(impl fmt::Display + ?Sized),
    ) -> Result<IfCond> {
        if text.trim().is_empty() {
            return Err(self.error(
                format!("the 'if' condition '{text}' of {what} is blank"),
                span,
                "blank",
            ));
        }
        Ok(IfCond::Preprocessor {
            text: text.to_string(),
            meaning: Box::new(preprocessor::meaning(text)),
        })
    }
}

/// Whether `text` is a condition symbol: upper case letters, digits and `_`, starting with a
/// letter.
fn is_symbol(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_uppercase())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}
