//! Structural checks: each top-level object → a typed [`Definition`], or a diagnostic.
//!
//! This is the context-free part of checking: which keys a definition may have, what kind of
//! value each key takes, name conventions, `if` conditions, features and flags, whether the
//! documentation block belongs to the definition. Sugar is removed on the way (`'*name'`
//! optional members, `'Type'` for `{'type': 'Type'}`, bare feature and enum value names).
//! Nothing is resolved here: whether referenced types exist is `lower/`'s question.
//! `names.rs` holds the spelling rules and `conditions.rs` the `if` conditions.
//! Checks run in a fixed order and the first failure ends a definition, so the error reported
//! for an expression is the same one the schema language's reference implementation reports.

mod checker;
mod conditions;
mod names;

use checker::{Checker, Result};

pub(crate) use names::c_name;
use names::{Case, LOWER};

use std::fmt;

use crate::ast::{
    BranchDef, Definition, DefinitionKind, EnumValueDef, FeatureDef, Member, MemberDef, Meta, Name,
    Object, TopLevel, TypeOrMembers, TypeRef, Value, ValueKind,
};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Expression;
use crate::release::{Dialect, Rule};
use crate::schema::{Doc, DocId, Pragma, SectionKind};
use crate::source::Span;

/// Checks every definition; returns the include directives and the definitions that pass.
pub fn check_expressions(
    expressions: Vec<Expression>,
    docs: &[Doc],
    pragma: &Pragma,
    dialect: Dialect,
    diagnostics: &mut Diagnostics,
) -> Vec<TopLevel> {
    let mut checked = Vec::with_capacity(expressions.len());
    for expression in expressions {
        let (value, doc) = match expression {
            Expression::Definition { value, doc } => (value, doc),
            Expression::Include { absolute, span } => {
                checked.push(TopLevel::Include { absolute, span });
                continue;
            }
        };
        let checker = Checker {
            at: Span::new(value.span.start, value.span.start + 1),
            pragma,
            dialect,
        };
        match checker.definition(&value, doc, docs) {
            Ok(definition) => checked.push(TopLevel::Definition(definition)),
            Err(error) => diagnostics.push(error),
        }
    }
    checked
}

impl Checker<'_> {
    fn definition(&self, value: &Value, doc: Option<DocId>, docs: &[Doc]) -> Result<Definition> {
        // `load.rs` passes objects only; anything else has no definition key either.
        let empty = Object::default();
        let object = value.as_object().unwrap_or(&empty);
        let metas: Vec<Meta> = Meta::ALL
            .into_iter()
            .filter(|meta| object.contains_key(meta.keyword()))
            .collect();
        let [meta] = metas[..] else {
            return Err(self.error(
                "a definition needs exactly one of the keys 'enum', 'struct', 'union', 'alternate', 'command' and 'event'",
                value.span,
                "this expression",
            ));
        };
        let keyword = meta.keyword();
        let name_value = &object[keyword].value;
        let Some(name) = name_value.as_str() else {
            return Err(self.error(
                format!("the name of the {keyword} must be a string"),
                name_value.span,
                "not a string",
            ));
        };
        self.definition_name(name, meta, name_value.span)?;
        if let Some(index) = doc {
            let block = &docs[index.index()];
            if block.symbol.as_deref() != Some(name) {
                return Err(self.error(
                    format!(
                        "the documentation comment before '{name}' is for '{}'",
                        block.symbol.as_deref().unwrap_or_default()
                    ),
                    block.span,
                    "documentation comment",
                ));
            }
            self.doc_sections(block, meta, object)?;
        } else if self.pragma.doc_required {
            return Err(self.error(
                format!("{keyword} '{name}' needs a documentation comment (pragma 'doc-required')"),
                name_value.span,
                "undocumented",
            ));
        }
        let kind = match meta {
            Meta::Enum => {
                self.keys(
                    object,
                    keyword,
                    &["enum", "data"],
                    &["if", "features", "prefix"],
                )?;
                self.enumeration(object, name)?
            }
            Meta::Union if self.dialect.holds(Rule::SimpleUnions) => {
                self.keys(
                    object,
                    keyword,
                    &["union", "data"],
                    &["base", "discriminator", "if", "features"],
                )?;
                match (object.get("base"), object.get("discriminator")) {
                    (Some(base), None) => {
                        return Err(self.error(
                            "a union with a 'base' needs a 'discriminator'",
                            base.key_span,
                            "base",
                        ));
                    }
                    (None, Some(discriminator)) => {
                        return Err(self.error(
                            "a union with a 'discriminator' needs a 'base'",
                            discriminator.key_span,
                            "discriminator",
                        ));
                    }
                    (None, None) => self.simple_union(object)?,
                    (Some(_), Some(_)) => self.union(object, name)?,
                }
            }
            Meta::Union => {
                self.keys(
                    object,
                    keyword,
                    &["union", "base", "discriminator", "data"],
                    &["if", "features"],
                )
                .map_err(|error| {
                    if object.contains_key("discriminator") {
                        return error;
                    }
                    error.with_note(format!(
                        "a union without a discriminator is a simple union, which {} does not have; releases up to 6.1 do",
                        self.dialect
                    ))
                })?;
                self.union(object, name)?
            }
            Meta::Alternate => {
                self.keys(object, keyword, &["alternate", "data"], &["if", "features"])?;
                self.alternate(object)?
            }
            Meta::Struct => {
                self.keys(
                    object,
                    keyword,
                    &["struct", "data"],
                    &["base", "if", "features"],
                )?;
                DefinitionKind::Struct {
                    members: self.members(&object["data"].value, "'data'", Some(name))?,
                    base: match object.get("base") {
                        Some(base) => Some(self.type_name(&base.value, "'base'")?),
                        None => None,
                    },
                }
            }
            Meta::Command => {
                self.keys(
                    object,
                    keyword,
                    &["command"],
                    &[
                        "data",
                        "returns",
                        "boxed",
                        "if",
                        "features",
                        "gen",
                        "success-response",
                        "allow-oob",
                        "allow-preconfig",
                        "coroutine",
                    ],
                )?;
                let data = self.arguments(object)?;
                let returns = match object.get("returns") {
                    Some(returns) => Some(self.type_ref(&returns.value, "'returns'")?),
                    None => None,
                };
                DefinitionKind::Command {
                    data,
                    returns,
                    boxed: flag(object, "boxed", false),
                    generate: flag(object, "gen", true),
                    success_response: flag(object, "success-response", true),
                    allow_oob: flag(object, "allow-oob", false),
                    allow_preconfig: flag(object, "allow-preconfig", false),
                    coroutine: flag(object, "coroutine", false),
                }
            }
            Meta::Event => {
                self.keys(
                    object,
                    keyword,
                    &["event"],
                    &["data", "boxed", "if", "features"],
                )?;
                DefinitionKind::Event {
                    data: self.arguments(object)?,
                    boxed: flag(object, "boxed", false),
                }
            }
        };
        let ifcond = self.ifcond(object, &format!("{keyword} '{name}'"))?;
        let features = self.features(object.get("features"))?;
        self.flags(object)?;
        Ok(Definition {
            meta,
            name: name.to_string(),
            span: value.span,
            doc,
            ifcond,
            features,
            kind,
        })
    }

    /// Checks the tagged sections a definition's documentation may have.
    fn doc_sections(&self, doc: &Doc, meta: Meta, object: &Object) -> Result<()> {
        let returns = doc.section(SectionKind::Returns);
        let errors = doc.section(SectionKind::Errors);
        // QEMU 8.2 and older placed this check's errors at the comment's first line.
        let at = |section: &crate::schema::Section| {
            if self.dialect.holds(Rule::DocErrorsAtCommentStart) {
                doc.span
            } else {
                section.span
            }
        };
        if meta == Meta::Command {
            if let Some(returns) = returns {
                if !object.contains_key("returns")
                    && self.dialect.holds(Rule::ReturnsNeedReturnValue)
                {
                    return Err(Diagnostic::error(
                        returns.span,
                        "a 'Returns:' section documents a command that returns nothing",
                    ));
                }
            }
            return Ok(());
        }
        if let Some(returns) = returns {
            return Err(Diagnostic::error(
                at(returns),
                "only commands can have a 'Returns:' section",
            ));
        }
        if let Some(errors) = errors {
            return Err(Diagnostic::error(
                errors.span,
                "only commands can have an 'Errors:' section",
            ));
        }
        Ok(())
    }

    fn keys(
        &self,
        object: &Object,
        what: &(impl fmt::Display + ?Sized),
        required: &[&str],
        optional: &[&str],
    ) -> Result<()> {
        let quote_sorted = |mut keys: Vec<&str>| {
            keys.sort_unstable();
            keys.iter()
                .map(|key| format!("'{key}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|key| !object.contains_key(key))
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() > 1 { "s" } else { "" };
            return Err(Diagnostic::error(
                self.at,
                format!("{what} lacks the key{plural} {}", quote_sorted(missing)),
            ));
        }
        let unknown: Vec<(&str, Span)> = object
            .iter()
            .filter(|(key, _)| {
                !required.contains(&key.as_str()) && !optional.contains(&key.as_str())
            })
            .map(|(key, member)| (key.as_str(), member.key_span))
            .collect();
        if let Some((_, first_span)) = unknown.first() {
            let plural = if unknown.len() > 1 { "s" } else { "" };
            let allowed: Vec<&str> = required.iter().chain(optional).copied().collect();
            return Err(self
                .error(
                    format!(
                        "{what} has the unknown key{plural} {}",
                        quote_sorted(unknown.iter().map(|(key, _)| *key).collect())
                    ),
                    *first_span,
                    "unknown key",
                )
                .with_note(format!(
                    "the keys allowed here are {}",
                    quote_sorted(allowed)
                )));
        }
        Ok(())
    }

    fn enumeration(&self, object: &Object, name: &str) -> Result<DefinitionKind> {
        let data = &object["data"].value;
        let Some(elements) = data.as_array() else {
            return Err(self.error(
                "the 'data' of an enum must be an array of values",
                data.span,
                "not an array",
            ));
        };
        let prefix = match object.get("prefix") {
            Some(prefix) => match prefix.value.as_str() {
                Some(text) => Some(text.to_string()),
                None => {
                    return Err(self.error(
                        "'prefix' must be a string",
                        prefix.value.span,
                        "not a string",
                    ));
                }
            },
            None => None,
        };
        let permissive = self.pragma.member_name_exceptions.contains(name);
        let case = Case::Lower {
            permit_upper: permissive,
            permit_underscore: permissive,
        };
        let mut values = Vec::with_capacity(elements.len());
        for element in elements {
            let (value_name, entry) =
                self.named_entry(element, "enum value", &["if", "features"])?;
            // Values may start with a digit; the rest follows the member rules.
            let spelled = if value_name.starts_with(|c: char| c.is_ascii_digit()) {
                format!("d{value_name}")
            } else {
                value_name.to_string()
            };
            self.spelled_name(value_name, &spelled, case, "enum value", element.span)?;
            let what = format!("enum value '{value_name}'");
            values.push(EnumValueDef {
                name: value_name.to_string(),
                ifcond: self.ifcond_in(entry, &what)?,
                features: self.features(entry.and_then(|entry| entry.get("features")))?,
                span: element.span,
            });
        }
        Ok(DefinitionKind::Enum { values, prefix })
    }

    /// An enum value or feature: a bare name, or an object with a `name` key and `extra`
    /// keys. Returns the name and the object, if it was one.
    fn named_entry<'v>(
        &self,
        element: &'v Value,
        what: &(impl fmt::Display + ?Sized),
        extra: &[&str],
    ) -> Result<(&'v str, Option<&'v Object>)> {
        let (name_value, entry) = match &element.kind {
            ValueKind::Object(entry) => {
                self.keys(entry, what, &["name"], extra)
                    .map_err(|error| error.with_label(element.span, "here"))?;
                (&entry["name"].value, Some(entry))
            }
            _ => (element, None),
        };
        match name_value.as_str() {
            Some(name) => Ok((name, entry)),
            None => Err(self.error(
                format!("the name of an {what} must be a string"),
                name_value.span,
                "not a string",
            )),
        }
    }

    fn union(&self, object: &Object, name: &str) -> Result<DefinitionKind> {
        let base_value = &object["base"].value;
        let base = match &base_value.kind {
            ValueKind::String(base) => TypeOrMembers::Type(Name {
                name: base.clone(),
                span: base_value.span,
            }),
            _ => TypeOrMembers::Members(self.members(base_value, "'base'", Some(name))?),
        };
        let discriminator_value = &object["discriminator"].value;
        let Some(discriminator) = discriminator_value.as_str() else {
            return Err(self.error(
                "'discriminator' must name a member",
                discriminator_value.span,
                "not a string",
            ));
        };
        Ok(DefinitionKind::Union {
            base,
            discriminator: discriminator.to_string(),
            branches: self.union_branches(object, false)?,
        })
    }

    fn simple_union(&self, object: &Object) -> Result<DefinitionKind> {
        Ok(DefinitionKind::SimpleUnion {
            branches: self.union_branches(object, true)?,
        })
    }

    /// The branches in a union's 'data'. A simple union's branch names are the values of
    /// its implicit enum, and its branches may be arrays.
    fn union_branches(&self, object: &Object, simple: bool) -> Result<Vec<BranchDef>> {
        let data = &object["data"].value;
        let Some(entries) = data.as_object() else {
            return Err(self.error(
                "the 'data' of a union must be an object of branches",
                data.span,
                "not an object",
            ));
        };
        let mut branches = Vec::with_capacity(entries.len());
        for (key, entry) in entries {
            if simple {
                self.name(key, LOWER, "branch name", entry.key_span)?;
            }
            branches.push(self.branch(key, entry, simple)?);
        }
        Ok(branches)
    }

    fn alternate(&self, object: &Object) -> Result<DefinitionKind> {
        let data = &object["data"].value;
        if !data.is_truthy() {
            return Err(self.error("an alternate needs at least one branch", data.span, "empty"));
        }
        let Some(entries) = data.as_object() else {
            return Err(self.error(
                "the 'data' of an alternate must be an object of branches",
                data.span,
                "not an object",
            ));
        };
        let mut branches = Vec::with_capacity(entries.len());
        for (key, entry) in entries {
            self.name(key, LOWER, "branch name", entry.key_span)?;
            let arrays = self.dialect.holds(Rule::ArrayAlternatives);
            branches.push(self.branch(key, entry, arrays)?);
        }
        Ok(DefinitionKind::Alternate { branches })
    }

    /// A union or alternate branch `key`: `'Type'` or `{ 'type': …, 'if': … }`.
    fn branch(&self, key: &str, entry: &Member, allow_array: bool) -> Result<BranchDef> {
        let what = format_args!("branch '{key}'");
        let (ty_value, fields) = self.typed_entry(entry, &what, &["if"])?;
        let ifcond = self.ifcond_in(fields, &what)?;
        let ty = if allow_array {
            self.type_ref(ty_value, &what)?
        } else {
            let name = self.type_name(ty_value, &what)?;
            TypeRef {
                name: name.name,
                array: false,
                span: name.span,
            }
        };
        Ok(BranchDef {
            name: key.to_string(),
            ty,
            ifcond,
            span: entry.key_span,
        })
    }

    /// A member-like entry: `'Type'` (or `['Type']`), or an object with a `type` key and
    /// `extra` keys. Returns the type value and the object, if it was one.
    fn typed_entry<'v>(
        &self,
        entry: &'v Member,
        what: &(impl fmt::Display + ?Sized),
        extra: &[&str],
    ) -> Result<(&'v Value, Option<&'v Object>)> {
        match &entry.value.kind {
            ValueKind::Object(fields) => {
                self.keys(fields, what, &["type"], extra)
                    .map_err(|error| error.with_label(entry.key_span, "here"))?;
                Ok((&fields["type"].value, Some(fields)))
            }
            _ => Ok((&entry.value, None)),
        }
    }

    /// The `data` of a command or event.
    fn arguments(&self, object: &Object) -> Result<Option<TypeOrMembers>> {
        let data = object.get("data").map(|data| &data.value);
        let boxed = object
            .get("boxed")
            .is_some_and(|boxed| boxed.value.is_truthy());
        let Some(data) = data else {
            if boxed {
                return Err(self.error(
                    "'boxed': true needs 'data'",
                    object["boxed"].key_span,
                    "boxed",
                ));
            }
            return Ok(None);
        };
        if boxed {
            return self
                .type_name(data, "'data'")
                .map(|name| Some(TypeOrMembers::Type(name)));
        }
        match &data.kind {
            ValueKind::String(name) => Ok(Some(TypeOrMembers::Type(Name {
                name: name.clone(),
                span: data.span,
            }))),
            _ => self
                .members(data, "'data'", None)
                .map(|members| Some(TypeOrMembers::Members(members))),
        }
    }

    /// Inline members of `source` (`'data'` or `'base'`); `owner` is the type name that the
    /// pragma 'member-name-exceptions' is consulted for.
    fn members(&self, value: &Value, source: &str, owner: Option<&str>) -> Result<Vec<MemberDef>> {
        let Some(entries) = value.as_object() else {
            return Err(self.error(
                format!("{source} must be an object of members or the name of a type"),
                value.span,
                "neither",
            ));
        };
        let permissive =
            owner.is_some_and(|owner| self.pragma.member_name_exceptions.contains(owner));
        let case = Case::Lower {
            permit_upper: permissive,
            permit_underscore: permissive,
        };
        let mut members = Vec::with_capacity(entries.len());
        for (key, entry) in entries {
            let (name, optional) = match key.strip_prefix('*') {
                Some(name) => (name, true),
                None => (key.as_str(), false),
            };
            let what = MemberOf { key, source };
            self.name(
                name,
                case,
                &format_args!("member name in {source}"),
                entry.key_span,
            )?;
            let c_name = c_name(name);
            if c_name == "u" || c_name.starts_with("has_") {
                return Err(self.error(
                    format!("member '{name}' of {source} uses a name reserved for generated code ('u' and 'has_…')"),
                    entry.key_span,
                    "reserved name",
                ));
            }
            let (ty_value, fields) = self.typed_entry(entry, &what, &["if", "features"])?;
            let ifcond = self.ifcond_in(fields, &what)?;
            let features = self.features(fields.and_then(|fields| fields.get("features")))?;
            let ty = self.type_ref(ty_value, &what)?;
            members.push(MemberDef {
                name: name.to_string(),
                optional,
                ty,
                ifcond,
                features,
                span: entry.key_span,
            });
        }
        Ok(members)
    }

    fn type_name(&self, value: &Value, what: &(impl fmt::Display + ?Sized)) -> Result<Name> {
        match value.as_str() {
            Some(name) => Ok(Name {
                name: name.to_string(),
                span: value.span,
            }),
            None => Err(self.error(
                format!("{what} must be the name of a type"),
                value.span,
                "not a type name",
            )),
        }
    }

    fn type_ref(&self, value: &Value, what: &(impl fmt::Display + ?Sized)) -> Result<TypeRef> {
        match &value.kind {
            ValueKind::String(name) => Ok(TypeRef {
                name: name.clone(),
                array: false,
                span: value.span,
            }),
            ValueKind::Array(elements) => match elements.as_slice() {
                [element] if element.as_str().is_some() => Ok(TypeRef {
                    name: element.as_str().unwrap_or_default().to_string(),
                    array: true,
                    span: value.span,
                }),
                _ => Err(self.error(
                    format!("{what}: an array type is written as a list holding one type name"),
                    value.span,
                    "not ['TypeName']",
                )),
            },
            _ => Err(self.error(
                format!("{what} must be a type name or an array type"),
                value.span,
                "neither",
            )),
        }
    }

    fn features(&self, features: Option<&Member>) -> Result<Vec<FeatureDef>> {
        let Some(features) = features else {
            return Ok(Vec::new());
        };
        let Some(elements) = features.value.as_array() else {
            return Err(self.error(
                "'features' must be an array",
                features.value.span,
                "not an array",
            ));
        };
        let mut result = Vec::with_capacity(elements.len());
        for element in elements {
            let (name, entry) = self.named_entry(element, "feature", &["if"])?;
            self.name(name, LOWER, "feature name", element.span)?;
            let what = format!("feature '{name}'");
            result.push(FeatureDef {
                name: name.to_string(),
                ifcond: self.ifcond_in(entry, &what)?,
                span: element.span,
            });
        }
        Ok(result)
    }

    fn flags(&self, object: &Object) -> Result<()> {
        for (key, only) in [
            ("gen", false),
            ("success-response", false),
            ("boxed", true),
            ("allow-oob", true),
            ("allow-preconfig", true),
            ("coroutine", true),
        ] {
            if let Some(member) = object.get(key) {
                if member.value.kind != ValueKind::Bool(only) {
                    return Err(self.error(
                        format!("flag '{key}' can only be {only} (leave it out for the default)"),
                        member.value.span,
                        "here",
                    ));
                }
            }
        }
        if let (Some(oob), Some(_)) = (object.get("allow-oob"), object.get("coroutine")) {
            return Err(self.error(
                "a command cannot have both 'allow-oob' and 'coroutine'",
                oob.key_span,
                "allow-oob",
            ));
        }
        Ok(())
    }
}

/// Describes a member for messages; formatted only when a message needs it.
struct MemberOf<'a> {
    key: &'a str,
    source: &'a str,
}

impl fmt::Display for MemberOf<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "member '{}' of {}", self.key, self.source)
    }
}

/// The value of a flag, or its default when absent.
fn flag(object: &Object, key: &str, default: bool) -> bool {
    object
        .get(key)
        .map_or(default, |member| member.value.is_truthy())
}
