mod probe {
    qapi_macros::include_qapi!("tests/ui/schemas/probe.json", type_path = "Probe.reading");
}

fn main() {}
