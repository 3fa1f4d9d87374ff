"""Compares `qapi-gen introspect` output with QEMU's own introspection visitor.

Part of `cargo xtask conformance`. QEMU's Python front end and its introspection visitor
(from the fetched QEMU source tree, whose `scripts` directory is the first argument) compute
the SchemaInfo list; conditions are then evaluated against a symbol set the way a build
compiles them in or out, and optional lists left empty are dropped, as QEMU's reply drops
them.

It runs with the Python of every release we test against. QEMU 6.0 replaced the
`(value, {"if": [...], "comment": ...})` pairs of the visitor's tree with `Annotated` objects,
and QEMU 6.2 the list of C conditions with `QAPISchemaIfCond` and its `all`/`any`/`not` tree;
`unwrap` and `holds` read both.

The second argument names a file with one job per line, tab-separated: schema path, "1" to unmask names,
symbol file (empty to keep every item), path of our JSON output. Standard output gets one
line per job: "ok", "differs: ..." or "error: ...".
"""

import json
import sys

sys.path.insert(0, sys.argv[1])

from qapi.introspect import QAPISchemaGenIntrospectVisitor  # noqa: E402
from qapi.schema import QAPISchema  # noqa: E402

try:
    from qapi.introspect import Annotated  # noqa: E402
except ImportError:  # before QEMU 6.0: annotations are (value, extra) pairs
    Annotated = None


class Collector(QAPISchemaGenIntrospectVisitor):
    """The visitor, stopped before it renders C, keeping the annotated list."""

    def visit_end(self):
        for typ in self._used_types:
            typ.visit(self)
        self.entries = self._trees


def unwrap(value):
    """An annotated value as (value, condition); anything else with no condition."""
    if Annotated is not None and isinstance(value, Annotated):
        return value.value, value.ifcond.ifcond
    if isinstance(value, tuple):
        inner, extra = value
        return inner, extra.get("if")
    return value, None


def holds(cond, symbols):
    if symbols is None or cond is None:
        return True
    if isinstance(cond, list):  # before QEMU 6.2: C conditions, all of which must hold
        return all(holds(c, symbols) for c in cond)
    if isinstance(cond, str):
        if cond.startswith("defined(") and cond.endswith(")"):
            cond = cond[len("defined("):-1]
        return cond in symbols
    if "all" in cond:
        return all(holds(c, symbols) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, symbols) for c in cond["any"])
    return not holds(cond["not"], symbols)


def select(value, symbols):
    value, _ = unwrap(value)
    if isinstance(value, list):
        return [select(item, symbols) for item in value
                if holds(unwrap(item)[1], symbols)]
    if isinstance(value, dict):
        result = {key: select(item, symbols) for key, item in value.items()}
        for key in ("features", "variants"):
            if result.get(key) == []:
                del result[key]
        return result
    return value


def compare(schema, unmask, symbol_file, ours_path):
    symbols = None
    if symbol_file:
        with open(symbol_file, encoding="utf-8") as file:
            symbols = {line.strip() for line in file
                       if line.strip() and not line.strip().startswith("#")}
    collector = Collector("", unmask)
    QAPISchema(schema).visit(collector)
    theirs = [select(entry, symbols) for entry in collector.entries
              if holds(unwrap(entry)[1], symbols)]
    with open(ours_path, encoding="utf-8") as file:
        ours = json.load(file)
    if ours == theirs:
        return "ok"
    for index in range(max(len(ours), len(theirs))):
        mine = ours[index] if index < len(ours) else None
        qemu = theirs[index] if index < len(theirs) else None
        if mine != qemu:
            return (f"differs: {len(ours)} entries against QEMU's {len(theirs)}; "
                    f"first at {index}: ours {json.dumps(mine)}, QEMU's {json.dumps(qemu)}")
    return "differs"


def main():
    with open(sys.argv[2], encoding="utf-8") as jobs:
        lines = jobs.read().splitlines()
    for line in lines:
        schema, unmask, symbol_file, ours_path = line.split("\t")
        try:
            print(compare(schema, unmask == "1", symbol_file, ours_path))
        except Exception as error:  # one broken job must not hide the others
            print(f"error: {type(error).__name__}: {error}".replace("\n", " "))
        sys.stdout.flush()


main()
