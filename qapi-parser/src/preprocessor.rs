//! The meaning of conditions written as C preprocessor expressions (QEMU 6.1 and older).
//!
//! Those releases pasted an `'if'` string into `#if` unchanged. The real schemas only ever
//! combine `defined(SYMBOL)` with `!`, `&&`, `||` and parentheses; that subset is read into
//! an [`IfCond`] so that every backend can evaluate it. Anything else stays opaque: it is
//! treated as one symbol named by the whole text, defined only if a build says so.

use crate::schema::IfCond;

/// Deeper nesting than this is not read (the condition stays opaque).
const MAX_DEPTH: usize = 64;

/// The meaning of the expression `text`.
pub fn meaning(text: &str) -> IfCond {
    let mut parser = Parser {
        tokens: tokens(text),
        next: 0,
    };
    match parser.or(0) {
        Some(condition) if parser.next == parser.tokens.len() => condition,
        _ => IfCond::Name(text.trim().to_string()),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token<'a> {
    Identifier(&'a str),
    Punct(&'static str),
    Other,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            return tokens;
        };
        if first.is_ascii_alphabetic() || first == '_' {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            tokens.push(Token::Identifier(&rest[..end]));
            rest = &rest[end..];
            continue;
        }
        let punct = ["&&", "||", "!", "(", ")"]
            .into_iter()
            .find(|punct| rest.starts_with(punct));
        match punct {
            Some(punct) => {
                tokens.push(Token::Punct(punct));
                rest = &rest[punct.len()..];
            }
            None => {
                tokens.push(Token::Other);
                rest = &rest[first.len_utf8()..];
            }
        }
    }
}

struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    next: usize,
}

impl Parser<'_> {
    fn eat(&mut self, punct: &'static str) -> bool {
        if self.tokens.get(self.next) == Some(&Token::Punct(punct)) {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self, depth: usize) -> Option<IfCond> {
        self.infix(depth, "||", Parser::and, IfCond::Any)
    }

    fn and(&mut self, depth: usize) -> Option<IfCond> {
        self.infix(depth, "&&", Parser::unary, IfCond::All)
    }

    fn infix(
        &mut self,
        depth: usize,
        operator: &'static str,
        operand: fn(&mut Self, usize) -> Option<IfCond>,
        combine: fn(Vec<IfCond>) -> IfCond,
    ) -> Option<IfCond> {
        let mut operands = vec![operand(self, depth)?];
        while self.eat(operator) {
            operands.push(operand(self, depth)?);
        }
        Some(if operands.len() == 1 {
            operands.pop().expect("one operand")
        } else {
            combine(operands)
        })
    }

    fn unary(&mut self, depth: usize) -> Option<IfCond> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.eat("!") {
            return Some(IfCond::Not(Box::new(self.unary(depth + 1)?)));
        }
        if self.eat("(") {
            let inner = self.or(depth + 1)?;
            return self.eat(")").then_some(inner);
        }
        let Some(Token::Identifier(word)) = self.tokens.get(self.next).cloned() else {
            return None;
        };
        self.next += 1;
        if word != "defined" {
            return Some(IfCond::Name(word.to_string()));
        }
        let parenthesized = self.eat("(");
        let Some(Token::Identifier(symbol)) = self.tokens.get(self.next).cloned() else {
            return None;
        };
        self.next += 1;
        if parenthesized && !self.eat(")") {
            return None;
        }
        Some(IfCond::Name(symbol.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(symbol: &str) -> IfCond {
        IfCond::Name(symbol.to_string())
    }

    #[test]
    fn defined_and_operators_are_read() {
        assert_eq!(meaning("defined(CONFIG_VNC)"), name("CONFIG_VNC"));
        assert_eq!(
            meaning("defined(A) || defined(B) && !defined(C)"),
            IfCond::Any(vec![
                name("A"),
                IfCond::All(vec![name("B"), IfCond::Not(Box::new(name("C")))]),
            ])
        );
        assert_eq!(
            meaning("(defined A || B) && C"),
            IfCond::All(vec![IfCond::Any(vec![name("A"), name("B")]), name("C")])
        );
    }

    #[test]
    fn other_expressions_stay_opaque() {
        assert_eq!(meaning("VERSION > 2"), name("VERSION > 2"));
        assert_eq!(meaning("defined(A"), name("defined(A"));
        let deep = format!("{}A{}", "(".repeat(500), ")".repeat(500));
        assert_eq!(meaning(&deep), name(&deep));
    }
}
