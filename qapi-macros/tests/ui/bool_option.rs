mod probe {
    qapi_macros::include_qapi!("tests/ui/schemas/probe.json", docs = "no");
}

fn main() {}
