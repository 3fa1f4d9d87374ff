mod probe {
    qapi_macros::include_qapi!("tests/ui/schemas/probe.json", kep = ["read-probe"]);
}

fn main() {}
