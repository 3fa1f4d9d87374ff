//! Assembling the IR: turns the checked entities into the schema's entities and groups them,
//! with the include directives, into modules (one per file, plus the built-in module).

use std::path::{Component, Path, PathBuf};

use indexmap::IndexMap;

use crate::schema::{
    BUILTIN_MODULE, BuiltinType, Entity, EntityId, EntityKind, JsonType, Module, ModuleId,
    ModuleItem,
};
use crate::source::{SourceMap, Span};

use super::{Pending, Resolved, features};

/// Turns checked entities into the IR's entities and modules.
pub(super) fn assemble(
    sources: &SourceMap,
    pending: Vec<Pending>,
    includes: Vec<(usize, PathBuf, Span)>,
    mut resolved: Resolved,
) -> (Vec<Entity>, Vec<Module>) {
    let root = &sources.files()[0];
    let schema_directory = root
        .absolute
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let module_name = |absolute: &Path| relative_path(absolute, &schema_directory);
    let file_modules: Vec<String> = sources
        .files()
        .iter()
        .map(|file| module_name(&file.absolute))
        .collect();
    let file_module = |span: Option<Span>| match span {
        Some(span) => file_modules[sources.file_id_of(span.start).0 as usize].clone(),
        None => BUILTIN_MODULE.to_string(),
    };
    let mut modules: IndexMap<String, Vec<ModuleItem>> = IndexMap::new();
    modules.insert(BUILTIN_MODULE.to_string(), Vec::new());
    modules.insert(file_modules[0].clone(), Vec::new());
    for (_, absolute, _) in &includes {
        modules.entry(module_name(absolute)).or_default();
    }
    // Module of each entity: arrays live with their element type.
    let entity_modules: Vec<String> = pending
        .iter()
        .enumerate()
        .map(|(index, entity)| match &resolved[index] {
            Some(EntityKind::Array(array)) => file_module(pending[array.element.0 as usize].span),
            _ => file_module(entity.span),
        })
        .collect();
    let mut includes = includes.into_iter().peekable();
    for (index, module) in entity_modules.iter().enumerate() {
        while let Some((_, absolute, span)) = includes.next_if(|(before, _, _)| *before == index) {
            push_include(
                &mut modules,
                &file_module(Some(span)),
                &module_name(&absolute),
            );
        }
        if let Some(items) = modules.get_mut(module) {
            items.push(ModuleItem::Entity(EntityId(index as u32)));
        }
    }
    for (_, absolute, span) in includes {
        push_include(
            &mut modules,
            &file_module(Some(span)),
            &module_name(&absolute),
        );
    }
    let module_ids: IndexMap<String, ModuleId> = modules
        .keys()
        .enumerate()
        .map(|(index, name)| (name.clone(), ModuleId(index as u32)))
        .collect();
    let mut entities = pending
        .into_iter()
        .enumerate()
        .map(|(index, entity)| {
            let kind = resolved[index]
                .take()
                .unwrap_or(EntityKind::Builtin(BuiltinType {
                    json_type: JsonType::Value,
                }));
            Entity {
                name: entity.name,
                span: entity.span,
                doc: entity.doc,
                ifcond: entity.ifcond,
                features: features(&entity.features),
                module: module_ids[&entity_modules[index]],
                kind,
            }
        })
        .collect::<Vec<_>>();
    // An array has its element type's condition (an element is never an array itself), and
    // so has a simple union's wrapper object the condition of the type it wraps.
    for index in 0..entities.len() {
        let inherited = match &entities[index].kind {
            EntityKind::Array(array) => array.element,
            _ => match entities[index].wrapped_type() {
                Some(wrapped) => wrapped,
                None => continue,
            },
        };
        entities[index].ifcond = entities[inherited.0 as usize].ifcond.clone();
    }
    let modules = modules
        .into_iter()
        .map(|(name, items)| Module { name, items })
        .collect();
    (entities, modules)
}

fn push_include(modules: &mut IndexMap<String, Vec<ModuleItem>>, from: &str, included: &str) {
    let included_id = ModuleId(modules.get_index_of(included).unwrap_or_default() as u32);
    modules
        .entry(from.to_string())
        .or_default()
        .push(ModuleItem::Include(included_id));
}

/// `target` relative to `base`, both absolute and normalized.
fn relative_path(target: &Path, base: &Path) -> String {
    let target: Vec<Component> = target.components().collect();
    let base: Vec<Component> = base.components().collect();
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|part| part.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}
