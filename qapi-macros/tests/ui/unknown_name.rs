mod probe {
    qapi_macros::include_qapi!("tests/ui/schemas/probe.json", keep = ["read-probes"]);
}

fn main() {}
