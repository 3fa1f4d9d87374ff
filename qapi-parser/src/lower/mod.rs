//! AST → IR: defines every entity, resolves names, flattens members and makes the semantic
//! checks.
//!
//! The stage runs in the order the schema language prescribes, because that order decides
//! which error a broken schema reports first:
//!
//! 1. *Define*: the built-in types, then each definition in source order, each preceded by the
//!    implicit types it introduces (`q_obj_NAME-arg`, `q_obj_NAME-base`, `ELEMENTList`).
//!    A name defined twice is an error here.
//! 2. *Check* each entity in that order: resolve type names, flatten bases, check clashes,
//!    discriminators, alternate ambiguity, argument and return restrictions. Checking an object
//!    first checks the objects it embeds (base, branches), which finds cycles. Right after an
//!    entity is checked its documentation is bound to its members and features.
//! 3. Check that every documented member and feature exists, and count features.
//!
//! An entity that fails reports one error (`Failure::Error`); entities that depend on it
//! fail silently (`Failure::Dependency`).
//!
//! This file holds the pipeline and the state its steps share; each step lives in a
//! submodule: `define.rs` (1), `semantics.rs` (2, with `clashes.rs` for name clashes),
//! `documentation.rs` (binding and checking documentation) and `assemble.rs` (entities and modules of
//! the IR). The submodules use this file's items and not each other's, except that
//! `semantics.rs` uses `clashes.rs`.

mod assemble;
mod clashes;
mod define;
mod documentation;
mod semantics;

use std::collections::HashSet;
use std::path::PathBuf;

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;

/// Maps keyed by names, hashed quickly (the keys are not attacker-chosen in any way that
/// matters for a compiler run).
type NameMap<V> = IndexMap<String, V, FxBuildHasher>;

use crate::ast::{EnumValueDef, FeatureDef, TopLevel};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::release::Dialect;
use crate::schema::{
    Command, EntityId, EntityKind, Feature, IfCond, JsonType, Pragma, SPECIAL_FEATURES, Schema,
};
use crate::schema::{Doc, DocId};
use crate::source::{SourceMap, Span};

/// Builds the IR from checked top-level expressions. If any check fails, the diagnostics say
/// why and the source map comes back for rendering them.
pub fn lower(
    expressions: Vec<TopLevel>,
    sources: SourceMap,
    docs: Vec<Doc>,
    pragma: Pragma,
    dialect: Dialect,
    diagnostics: &mut Diagnostics,
) -> Result<Schema, SourceMap> {
    let errors_before = diagnostics.len();
    let mut lowerer = Lowerer {
        pragma: &pragma,
        dialect,
        doc_links: vec![DocLinks::default(); docs.len()],
        docs,
        entities: Vec::new(),
        includes: Vec::new(),
        names: NameMap::default(),
        features: NameMap::default(),
        diagnostics,
    };
    for name in SPECIAL_FEATURES {
        lowerer.features.insert(name.to_string(), None);
    }
    lowerer.define_builtins();
    lowerer.define_all(expressions);
    if lowerer.diagnostics.len() > errors_before {
        return Err(sources);
    }
    let mut states = vec![State::Unchecked; lowerer.entities.len()];
    let mut resolved: Vec<Option<EntityKind>> = vec![None; lowerer.entities.len()];
    for index in 0..lowerer.entities.len() {
        if lowerer.check(index, &mut states, &mut resolved) {
            lowerer.connect_doc(index, &resolved);
        }
    }
    for (index, state) in states.iter().enumerate() {
        if *state == State::Failed {
            lowerer.connect_failed_doc(index);
        }
    }
    lowerer.check_docs();
    lowerer.check_feature_count();
    if lowerer.diagnostics.len() > errors_before {
        return Err(sources);
    }
    let Lowerer {
        entities,
        includes,
        names,
        features,
        docs,
        ..
    } = lowerer;
    let (entities, modules) = assemble::assemble(&sources, entities, includes, resolved);
    Ok(Schema {
        sources,
        entities,
        modules,
        docs,
        features: features.into_keys().collect(),
        pragma,
        dialect,
        names: names
            .into_iter()
            .map(|(name, index)| (name, EntityId(index as u32)))
            .collect(),
    })
}

/// An entity as defined, before names are resolved.
struct Pending {
    name: String,
    /// The definition that made it; `None` for built-ins.
    span: Option<Span>,
    /// The name of the definition that made it (for implicit types, the definition that
    /// introduced them), to phrase messages.
    definition: Option<String>,
    doc: Option<DocId>,
    ifcond: Option<IfCond>,
    features: Vec<FeatureDef>,
    kind: PendingKind,
}

enum PendingKind {
    Builtin(JsonType),
    Enum {
        values: Vec<EnumValueDef>,
        prefix: Option<String>,
    },
    Array {
        element: String,
    },
    Object {
        base: Option<(String, Span)>,
        members: Vec<PendingMember>,
        union: Option<PendingUnion>,
    },
    Alternate {
        branches: Vec<PendingMember>,
    },
    Command {
        arg: Option<(String, Span)>,
        ret: Option<(String, Span)>,
        command: Command,
    },
    Event {
        arg: Option<(String, Span)>,
        boxed: bool,
    },
}

/// A member, branch or argument whose type is known by name only.
#[derive(Clone)]
struct PendingMember {
    name: String,
    ty: String,
    optional: bool,
    ifcond: Option<IfCond>,
    features: Vec<FeatureDef>,
    /// The member's key.
    span: Span,
    /// Where its type is named.
    ty_span: Span,
}

#[derive(Clone)]
struct PendingUnion {
    discriminator: String,
    branches: Vec<PendingMember>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Unchecked,
    Checking,
    Done,
    Failed,
}

/// Which descriptions of a documentation block were matched by a member or feature.
#[derive(Clone, Default)]
struct DocLinks {
    /// Whether the block was bound to its definition, which happens only when the
    /// definition is sound.
    bound: bool,
    members: HashSet<String>,
    features: HashSet<String>,
}

/// What a member is, for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Member,
    Value,
    Branch,
}

impl Role {
    fn noun(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Value => "value",
            Role::Branch => "branch",
        }
    }
}

struct Lowerer<'a> {
    pragma: &'a Pragma,
    dialect: Dialect,
    docs: Vec<Doc>,
    doc_links: Vec<DocLinks>,
    entities: Vec<Pending>,
    /// Include directives: the index of the entity they precede, path and span.
    includes: Vec<(usize, PathBuf, Span)>,
    names: NameMap<usize>,
    /// Every feature name, with the definition that used it first.
    features: NameMap<Option<Span>>,
    diagnostics: &'a mut Diagnostics,
}

type Resolved = Vec<Option<EntityKind>>;

/// Why checking an entity failed.
enum Failure {
    /// The entity is wrong, and the diagnostic says how.
    Error(Diagnostic),
    /// An entity it depends on failed and reported why, so this one fails silently.
    Dependency,
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Self {
        Failure::Error(diagnostic)
    }
}

impl Lowerer<'_> {
    /// Where errors about entity `index` are reported: the first character of its definition.
    fn at(&self, index: usize) -> Span {
        let span = self.entities[index].span.unwrap_or_default();
        Span::new(span.start, span.start + 1)
    }
}

/// The IR's features, from their definitions.
fn features(features: &[FeatureDef]) -> Vec<Feature> {
    features
        .iter()
        .map(|feature| Feature {
            name: feature.name.clone(),
            ifcond: feature.ifcond.clone(),
        })
        .collect()
}
