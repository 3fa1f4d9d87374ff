//! Text of one file → top-level items: the only module that sees pest.
//!
//! The pest grammar (`grammar.pest`) splits the text into tokens and never fails; a small
//! LL(1) parser then builds [`Value`]s with an explicit stack, so nesting depth costs heap, not
//! stack. Errors come out where the schema language puts them: a lexical error when the parser
//! reaches the bad token, a syntax error at the first token that does not fit, a duplicate key
//! at the token after its colon. The first error ends the file: the items before it are kept,
//! and [`SyntaxError::before_item`] says which of them the error must be reported ahead of
//! (a bad token right after an item is seen before that item takes effect).

use std::collections::HashSet;

use pest::Parser as _;
use pest_derive::Parser;

use crate::ast::{DocBlock, Item, Member, Object, Value, ValueKind};
use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// Objects with more keys than this get a hash index for the duplicate-key check.
const SMALL_OBJECT: usize = 16;

/// How deeply arrays and objects may nest. Real schemas nest five levels at most.
pub const MAX_DEPTH: usize = 256;

#[derive(Parser)]
#[grammar = "grammar.pest"]
struct Lexer;

/// The items of one file, and the error that ended it early, if any.
pub struct FileSyntax {
    /// The complete items before the error (all items without one).
    pub items: Vec<Item>,
    /// The first error.
    pub error: Option<SyntaxError>,
}

/// A syntax or lexical error, and where it falls among the items.
pub struct SyntaxError {
    /// What is wrong.
    pub diagnostic: Diagnostic,
    /// The index of the item that this error must be reported before; `items.len()` when it
    /// comes after all of them.
    pub before_item: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Colon,
    Comma,
    String,
    BadString,
    Boolean,
    Stray,
    DocBlock,
    End,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: TokenKind,
    span: Span,
}

/// Splits `text` (which starts at offset `base` of the source map) into items.
pub fn parse_items(text: &str, base: u32) -> FileSyntax {
    let mut parser = ItemParser::new(text, base);
    let mut items = Vec::new();
    let error = loop {
        match parser.item() {
            Ok(Some(item)) => items.push(item),
            Ok(None) => break None,
            Err(diagnostic) => {
                // A bad first token after an item is met while that item is completed.
                let before_item = if parser.failed_on_first_token && !items.is_empty() {
                    items.len() - 1
                } else {
                    items.len()
                };
                break Some(SyntaxError {
                    diagnostic,
                    before_item,
                });
            }
        }
        if let Some(Item::Doc(DocBlock {
            closing: Err(_), ..
        })) = items.last()
        {
            // An unterminated block swallowed the rest; `doc.rs` reports it.
            break None;
        }
    };
    FileSyntax { items, error }
}

struct ItemParser<'a> {
    text: &'a str,
    base: u32,
    tokens: Vec<Token>,
    doc_lines: Vec<Vec<Span>>,
    next: usize,
    failed_on_first_token: bool,
}

enum Frame {
    Object {
        start: u32,
        members: Object,
        key: Option<(String, Span)>,
        /// The keys, once the object is too big to search them one by one.
        index: Option<HashSet<String>>,
    },
    Array {
        start: u32,
        elements: Vec<Value>,
    },
}

impl<'a> ItemParser<'a> {
    fn new(text: &'a str, base: u32) -> ItemParser<'a> {
        let mut tokens = Vec::new();
        let mut doc_lines = Vec::new();
        let span_of =
            |span: pest::Span| Span::new(base + span.start() as u32, base + span.end() as u32);
        // The grammar accepts every input, so the error arm is unreachable in practice; an
        // empty token list still parses (as an empty file) if it ever happens.
        if let Ok(pairs) = Lexer::parse(Rule::file, text) {
            for pair in pairs.flatten() {
                let kind = match pair.as_rule() {
                    Rule::punctuation => match pair.as_str() {
                        "{" => TokenKind::OpenBrace,
                        "}" => TokenKind::CloseBrace,
                        "[" => TokenKind::OpenBracket,
                        "]" => TokenKind::CloseBracket,
                        ":" => TokenKind::Colon,
                        _ => TokenKind::Comma,
                    },
                    Rule::string if is_valid_string(pair.as_str()) => TokenKind::String,
                    Rule::string => TokenKind::BadString,
                    Rule::bad_string => TokenKind::BadString,
                    Rule::boolean => TokenKind::Boolean,
                    Rule::stray => TokenKind::Stray,
                    Rule::doc_block => {
                        doc_lines.push(split_doc_lines(
                            pair.as_str(),
                            span_of(pair.as_span()).start,
                        ));
                        TokenKind::DocBlock
                    }
                    _ => continue,
                };
                tokens.push(Token {
                    kind,
                    span: span_of(pair.as_span()),
                });
            }
        }
        // End of input sits on the last newline, like the end of the last line.
        let end = if text.ends_with('\n') {
            text.len() - 1
        } else {
            text.len()
        } as u32;
        tokens.push(Token {
            kind: TokenKind::End,
            span: Span::new(base + end, base + end),
        });
        doc_lines.reverse();
        ItemParser {
            text,
            base,
            tokens,
            doc_lines,
            next: 0,
            failed_on_first_token: false,
        }
    }

    fn peek(&self) -> Token {
        self.tokens[self.next]
    }

    fn advance(&mut self) -> Token {
        let token = self.tokens[self.next];
        if token.kind != TokenKind::End {
            self.next += 1;
        }
        token
    }

    fn source(&self, span: Span) -> &'a str {
        &self.text[(span.start - self.base) as usize..(span.end - self.base) as usize]
    }

    /// The next top-level item, `None` at the end of the file.
    fn item(&mut self) -> Result<Option<Item>, Diagnostic> {
        let first = self.peek();
        self.failed_on_first_token = true;
        if let Some(error) = self.lexical_error(first) {
            return Err(error);
        }
        self.failed_on_first_token = false;
        match first.kind {
            TokenKind::End => Ok(None),
            TokenKind::DocBlock => {
                self.advance();
                Ok(Some(Item::Doc(self.doc_block(first))))
            }
            _ => self.value().map(|value| Some(Item::Expression(value))),
        }
    }

    fn doc_block(&mut self, token: Token) -> DocBlock {
        let mut lines = self.doc_lines.pop().unwrap_or_default();
        let opening = lines.first().copied().unwrap_or(token.span);
        let has_closing = lines.len() >= 2
            && self
                .source(*lines.last().unwrap_or(&opening))
                .starts_with("##");
        let closing = if has_closing {
            Ok(lines.pop().unwrap_or(opening))
        } else {
            let next = self.peek();
            Err(self.lexical_error(next).unwrap_or_else(|| {
                Diagnostic::error(
                    next.span,
                    "documentation block is not closed by a line with just '##'",
                )
                .with_label(opening, "the block starts here")
            }))
        };
        if !lines.is_empty() {
            lines.remove(0);
        }
        DocBlock {
            opening,
            lines,
            closing,
        }
    }

    /// Parses one value starting at the next token.
    fn value(&mut self) -> Result<Value, Diagnostic> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut token = self.advance();
        loop {
            // Expect the start of a value at `token`.
            let mut done = match token.kind {
                TokenKind::OpenBrace | TokenKind::OpenBracket => {
                    if stack.len() == MAX_DEPTH {
                        return Err(Diagnostic::error(
                            token.span,
                            format!("arrays and objects nest more than {MAX_DEPTH} levels deep"),
                        ));
                    }
                    let start = token.span.start;
                    let next = self.advance();
                    self.lexical_check(next)?;
                    if token.kind == TokenKind::OpenBrace {
                        match next.kind {
                            TokenKind::CloseBrace => {
                                Some(self.finish(start, next, ValueKind::Object(Object::default())))
                            }
                            TokenKind::String => {
                                let key = (self.string(next), next.span);
                                self.expect_colon(None, &key)?;
                                stack.push(Frame::Object {
                                    start,
                                    members: Object::default(),
                                    key: Some(key),
                                    index: None,
                                });
                                token = self.advance();
                                continue;
                            }
                            _ => return Err(unexpected(next, "a string key or '}'")),
                        }
                    } else {
                        match next.kind {
                            TokenKind::CloseBracket => {
                                Some(self.finish(start, next, ValueKind::Array(Vec::new())))
                            }
                            TokenKind::OpenBrace
                            | TokenKind::OpenBracket
                            | TokenKind::String
                            | TokenKind::Boolean => {
                                stack.push(Frame::Array {
                                    start,
                                    elements: Vec::new(),
                                });
                                token = next;
                                continue;
                            }
                            _ => return Err(unexpected(next, "a value or ']'")),
                        }
                    }
                }
                TokenKind::String => Some(Value {
                    kind: ValueKind::String(self.string(token)),
                    span: token.span,
                }),
                TokenKind::Boolean => Some(Value {
                    kind: ValueKind::Bool(self.source(token.span) == "true"),
                    span: token.span,
                }),
                _ => {
                    self.lexical_check(token)?;
                    return Err(unexpected(
                        token,
                        "a value ('{', '[', a string or a boolean)",
                    ));
                }
            };
            // Attach finished values to their parents until one needs more input.
            while let Some(value) = done.take() {
                let Some(frame) = stack.last_mut() else {
                    return Ok(value);
                };
                let next = self.advance();
                self.lexical_check(next)?;
                match frame {
                    Frame::Object {
                        start,
                        members,
                        key,
                        index,
                    } => {
                        let (name, key_span) = key.take().unwrap_or_default();
                        if let Some(index) = index {
                            index.insert(name.clone());
                        } else if members.len() >= SMALL_OBJECT {
                            let mut keys: HashSet<String> =
                                members.iter().map(|(key, _)| key.clone()).collect();
                            keys.insert(name.clone());
                            *index = Some(keys);
                        }
                        members.push(name, Member { key_span, value });
                        match next.kind {
                            TokenKind::CloseBrace => {
                                let start = *start;
                                let members = std::mem::take(members);
                                stack.pop();
                                done = Some(self.finish(start, next, ValueKind::Object(members)));
                            }
                            TokenKind::Comma => {
                                let key_token = self.advance();
                                self.lexical_check(key_token)?;
                                if key_token.kind != TokenKind::String {
                                    return Err(unexpected(key_token, "a string key"));
                                }
                                let new_key = (self.string(key_token), key_token.span);
                                let seen = match index {
                                    Some(index) if !index.contains(&new_key.0) => None,
                                    _ => members.get(&new_key.0).map(|member| member.key_span),
                                };
                                self.expect_colon(seen, &new_key)?;
                                *key = Some(new_key);
                                token = self.advance();
                            }
                            _ => return Err(unexpected(next, "',' or '}'")),
                        }
                    }
                    Frame::Array { start, elements } => {
                        elements.push(value);
                        match next.kind {
                            TokenKind::CloseBracket => {
                                let start = *start;
                                let elements = std::mem::take(elements);
                                stack.pop();
                                done = Some(self.finish(start, next, ValueKind::Array(elements)));
                            }
                            TokenKind::Comma => token = self.advance(),
                            _ => return Err(unexpected(next, "',' or ']'")),
                        }
                    }
                }
            }
        }
    }

    /// Consumes the `:` after a key; a key seen before in the object is reported at the token
    /// after the colon, once that token is known to be lexically sound.
    fn expect_colon(
        &mut self,
        seen: Option<Span>,
        (key, key_span): &(String, Span),
    ) -> Result<(), Diagnostic> {
        let colon = self.advance();
        self.lexical_check(colon)?;
        if colon.kind != TokenKind::Colon {
            return Err(unexpected(colon, "':'"));
        }
        let value = self.peek();
        self.lexical_check(value)?;
        if let Some(previous) = seen {
            return Err(Diagnostic::error(
                value.span.first_point(),
                format!("key '{key}' appears twice in the same object"),
            )
            .with_label(previous, "first used here")
            .with_label(*key_span, "used again here"));
        }
        Ok(())
    }

    fn finish(&self, start: u32, close: Token, kind: ValueKind) -> Value {
        Value {
            kind,
            span: Span::new(start, close.span.end),
        }
    }

    fn string(&self, token: Token) -> String {
        let text =
            &self.source(token.span)[1..token.span.end as usize - token.span.start as usize - 1];
        if text.contains('\\') {
            text.replace("\\\\", "\\")
        } else {
            text.to_string()
        }
    }

    fn lexical_check(&self, token: Token) -> Result<(), Diagnostic> {
        match self.lexical_error(token) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// The lexical error `token` stands for, if it is a bad string or stray text.
    fn lexical_error(&self, token: Token) -> Option<Diagnostic> {
        let message = match token.kind {
            TokenKind::Stray => {
                format!("unexpected text '{}'", abbreviate(self.source(token.span)))
            }
            TokenKind::BadString => bad_string_message(self.source(token.span)),
            _ => return None,
        };
        Some(Diagnostic::error(token.span.first_point(), message).with_label(token.span, "here"))
    }
}

/// The spans of the comment lines of a documentation block token starting at `start`.
fn split_doc_lines(block: &str, start: u32) -> Vec<Span> {
    let mut lines = Vec::new();
    let mut offset = start;
    for line in block.split('\n') {
        let text = line.trim_start_matches(is_space);
        if !text.is_empty() {
            let line_start = offset + (line.len() - text.len()) as u32;
            lines.push(Span::new(line_start, line_start + text.len() as u32));
        }
        offset += line.len() as u32 + 1;
    }
    lines
}

/// White space as the grammar's `blank` rules define it.
fn is_space(character: char) -> bool {
    character.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&character)
}

/// Whether a quoted string holds only printable ASCII, with `\\` as the only escape.
fn is_valid_string(quoted: &str) -> bool {
    let mut bytes = quoted.as_bytes()[1..quoted.len() - 1].iter();
    while let Some(&byte) = bytes.next() {
        match byte {
            b'\\' if bytes.next() == Some(&b'\\') => {}
            b' '..=b'~' if byte != b'\\' => {}
            _ => return false,
        }
    }
    true
}

/// Says what is wrong with a string token that the grammar did not accept as a string.
fn bad_string_message(text: &str) -> String {
    let mut characters = text.chars().skip(1);
    while let Some(character) = characters.next() {
        match character {
            '\'' => break,
            '\\' => match characters.next() {
                Some('\\') => {}
                Some(other) if !other.is_control() => {
                    return format!(
                        "unknown escape sequence '\\{other}' in string (only '\\\\' is allowed)"
                    );
                }
                _ => {
                    return "unknown escape sequence in string (only '\\\\' is allowed)"
                        .to_string();
                }
            },
            ' '..='~' => {}
            other => {
                return format!(
                    "strings may contain only printable ASCII characters, not {}",
                    describe_character(other)
                );
            }
        }
    }
    "string is missing its closing quote on this line".to_string()
}

fn describe_character(character: char) -> String {
    if character.is_control() {
        format!("U+{:04X}", character as u32)
    } else {
        format!("'{character}' (U+{:04X})", character as u32)
    }
}

/// Shortens long text for a message.
fn abbreviate(text: &str) -> String {
    const LIMIT: usize = 40;
    let mut characters = text.chars();
    let head: String = characters.by_ref().take(LIMIT).collect();
    if characters.next().is_some() {
        format!("{head}...")
    } else {
        head
    }
}

fn unexpected(token: Token, expected: &str) -> Diagnostic {
    let found = match token.kind {
        TokenKind::End => "the end of the file",
        TokenKind::OpenBrace => "'{'",
        TokenKind::CloseBrace => "'}'",
        TokenKind::OpenBracket => "'['",
        TokenKind::CloseBracket => "']'",
        TokenKind::Colon => "':'",
        TokenKind::Comma => "','",
        TokenKind::String | TokenKind::BadString => "a string",
        TokenKind::Boolean => "a boolean",
        TokenKind::DocBlock => "a '##' documentation comment",
        TokenKind::Stray => "unexpected text",
    };
    Diagnostic::error(
        token.span.first_point(),
        format!("expected {expected}, found {found}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(text: &str) -> (String, u32) {
        let syntax = parse_items(text, 0);
        let error = syntax.error.expect("an error");
        (
            error.diagnostic.message,
            error.diagnostic.span.unwrap().start,
        )
    }

    #[test]
    fn parses_nested_values() {
        let syntax = parse_items("{ 'a': [ 'b', true, {} ], 'c\\\\d': false }\n", 0);
        assert!(syntax.error.is_none());
        let Item::Expression(value) = &syntax.items[0] else {
            panic!()
        };
        let members = value.as_object().unwrap();
        assert_eq!(
            members
                .iter()
                .map(|(key, _)| key.as_str())
                .collect::<Vec<_>>(),
            ["a", "c\\d"]
        );
        assert_eq!(members["a"].value.as_array().unwrap().len(), 3);
    }

    #[test]
    fn reports_errors_at_the_offending_token() {
        assert_eq!(first_error("{ 'a' 'b' }").1, 6);
        assert_eq!(first_error("{ 'a': 'x', 'a': 'y' }").1, 17);
        assert!(first_error("{ 'a': 'x\\q' }").0.contains("escape"));
        assert!(first_error("{ 'a': nope }").0.contains("nope"));
        assert!(first_error("{ 'a': 'x }").0.contains("closing quote"));
        assert_eq!(first_error("{ 'a': 'b'").1, 10);
    }

    #[test]
    fn a_bad_token_after_an_item_comes_before_it() {
        let syntax = parse_items("{ 'a': 'b' }\n@", 0);
        assert_eq!(syntax.items.len(), 1);
        assert_eq!(syntax.error.unwrap().before_item, 0);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(200_000);
        assert!(first_error(&text).0.contains("nest"));
    }

    #[test]
    fn doc_blocks_keep_their_lines() {
        let syntax = parse_items("##\n# @foo:\n#\n##\n{ 'x': 'y' }", 0);
        let Item::Doc(block) = &syntax.items[0] else {
            panic!()
        };
        assert_eq!(block.lines.len(), 2);
        assert!(block.closing.is_ok());
        let syntax = parse_items("##\n# text\n{ 'x': 'y' }", 0);
        let Item::Doc(block) = &syntax.items[0] else {
            panic!()
        };
        assert!(block.closing.is_err());
    }
}
