//! The `dump` backend: the IR as text, line for line in the format of QEMU's front-end tests.
//!
//! QEMU's `tests/qapi-schema/*.out` files record what its front end makes of each test schema
//! in this format, so comparing our dump with them checks the whole front end: entity order,
//! implicit types, flattened members, conditions, features, modules and documentation
//! sections. Values are spelled as that format spells them: `True`/`False`/`None`, and
//! compound conditions as the dictionary they were written as.

use std::fmt::Write as _;

use qapi_schema::release::Dialect;
use qapi_schema::{
    BUILTIN_MODULE, Doc, Entity, EntityKind, Feature, IfCond, ModuleItem, Rule, Schema, Variants,
};

/// Renders `schema` as the dump text.
pub fn generate(schema: &Schema) -> String {
    let mut out = String::new();
    for module in &schema.modules {
        let name = match module.name.as_str() {
            // Before QEMU 6.0 the built-in types' module had no name.
            BUILTIN_MODULE if !schema.dialect.holds(Rule::BuiltinModuleName) => "None",
            name => name,
        };
        line(&mut out, 0, format_args!("module {name}"));
        for item in &module.items {
            match *item {
                ModuleItem::Include(included) => {
                    line(
                        &mut out,
                        0,
                        format_args!("include {}", schema.module(included).name),
                    );
                }
                ModuleItem::Entity(id) => entity(&mut out, schema, schema.entity(id)),
            }
        }
    }
    for doc in &schema.docs {
        documentation(&mut out, doc, schema.dialect);
    }
    out
}

fn entity(out: &mut String, schema: &Schema, entity: &Entity) {
    let name = &entity.name;
    let type_name = |id| schema.entity(id).name.as_str();
    match &entity.kind {
        EntityKind::Builtin(_) => return,
        EntityKind::Enum(enumeration) => {
            line(out, 0, format_args!("enum {name}"));
            if let Some(prefix) = &enumeration.prefix {
                line(out, 4, format_args!("prefix {prefix}"));
            }
            for member in &enumeration.members {
                line(out, 4, format_args!("member {}", member.name));
                condition(out, 8, &member.ifcond);
                features(out, 8, &member.features);
            }
        }
        EntityKind::Array(array) => {
            // Arrays of built-in types belong to every schema and are left out.
            if entity.span.is_none() {
                return;
            }
            line(
                out,
                0,
                format_args!("array {name} {}", type_name(array.element)),
            );
            condition(out, 4, &entity.ifcond);
            return;
        }
        EntityKind::Object(object) => {
            line(out, 0, format_args!("object {name}"));
            if let Some(base) = object.base {
                line(out, 4, format_args!("base {}", type_name(base)));
            }
            for member in &object.local_members {
                line(
                    out,
                    4,
                    format_args!(
                        "member {}: {} optional={}",
                        member.name,
                        type_name(member.ty),
                        python_bool(member.optional)
                    ),
                );
                condition(out, 8, &member.ifcond);
                features(out, 8, &member.features);
            }
            if let Some(variants) = &object.variants {
                self::variants(out, schema, variants);
            }
        }
        EntityKind::Alternate(alternate) => {
            line(out, 0, format_args!("alternate {name}"));
            variants(out, schema, &alternate.variants);
        }
        EntityKind::Command(command) => {
            let optional_name = |id: Option<_>| id.map_or("None", type_name);
            line(
                out,
                0,
                format_args!(
                    "command {name} {} -> {}",
                    optional_name(command.arg_type),
                    optional_name(command.ret_type)
                ),
            );
            line(
                out,
                4,
                format_args!(
                    "gen={} success_response={} boxed={} oob={} preconfig={}{}",
                    python_bool(command.generate),
                    python_bool(command.success_response),
                    python_bool(command.boxed),
                    python_bool(command.allow_oob),
                    python_bool(command.allow_preconfig),
                    if command.coroutine {
                        " coroutine=True"
                    } else {
                        ""
                    }
                ),
            );
        }
        EntityKind::Event(event) => {
            let data = event.arg_type.map_or("None", type_name);
            line(out, 0, format_args!("event {name} {data}"));
            line(out, 4, format_args!("boxed={}", python_bool(event.boxed)));
        }
    }
    condition(out, 4, &entity.ifcond);
    features(out, 4, &entity.features);
}

fn variants(out: &mut String, schema: &Schema, variants: &Variants) {
    line(out, 4, format_args!("tag {}", variants.tag_member));
    for variant in &variants.variants {
        let type_name = &schema.entity(variant.ty).name;
        line(out, 4, format_args!("case {}: {type_name}", variant.name));
        condition(out, 8, &variant.ifcond);
    }
}

fn features(out: &mut String, indent: usize, features: &[Feature]) {
    for feature in features {
        line(out, indent, format_args!("feature {}", feature.name));
        condition(out, indent + 4, &feature.ifcond);
    }
}

fn condition(out: &mut String, indent: usize, ifcond: &Option<IfCond>) {
    if let Some(ifcond) = ifcond {
        let text = match ifcond {
            IfCond::Name(name) => name.clone(),
            // QEMU 6.1 and older kept a list of C expressions.
            IfCond::All(operands) if operands.iter().all(is_preprocessor) => {
                let texts: Vec<String> = operands.iter().map(python_repr).collect();
                format!("[{}]", texts.join(", "))
            }
            compound => python_repr(compound),
        };
        line(out, indent, format_args!("if {text}"));
    }
}

/// A condition as the dictionary it was written as, in Python's notation.
fn python_repr(ifcond: &IfCond) -> String {
    match ifcond {
        IfCond::Name(name) => format!("'{name}'"),
        IfCond::Not(operand) => format!("{{'not': {}}}", python_repr(operand)),
        IfCond::All(operands) | IfCond::Any(operands) => {
            let operator = if matches!(ifcond, IfCond::All(_)) {
                "all"
            } else {
                "any"
            };
            let operands: Vec<String> = operands.iter().map(python_repr).collect();
            format!("{{'{operator}': [{}]}}", operands.join(", "))
        }
        IfCond::Preprocessor { text, .. } => format!("'{text}'"),
    }
}

fn is_preprocessor(ifcond: &IfCond) -> bool {
    matches!(ifcond, IfCond::Preprocessor { .. })
}

fn documentation(out: &mut String, doc: &Doc, dialect: Dialect) {
    match &doc.symbol {
        Some(symbol) => line(out, 0, format_args!("doc symbol={symbol}")),
        None => line(out, 0, format_args!("doc freeform")),
    }
    line(out, 4, format_args!("body=\n{}", doc.body().text));
    let named = |section: &qapi_schema::Section| section.name.clone().unwrap_or_default();
    for section in doc.members() {
        line(
            out,
            4,
            format_args!("arg={}\n{}", named(section), section.text),
        );
    }
    for section in doc.features() {
        line(
            out,
            4,
            format_args!("feature={}\n{}", named(section), section.text),
        );
    }
    // QEMU 8.2 and older name a section by its tag as written, an untagged one `None`.
    let legacy = dialect.holds(Rule::LegacyDocComments);
    for section in doc.other_sections() {
        let name = match section.kind.tag() {
            Some(tag) if legacy => tag,
            None if legacy => "None",
            _ => section.kind.title(),
        };
        line(out, 4, format_args!("section={name}\n{}", section.text));
    }
}

fn python_bool(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

fn line(out: &mut String, indent: usize, text: std::fmt::Arguments<'_>) {
    let _ = writeln!(out, "{:indent$}{text}", "");
}
