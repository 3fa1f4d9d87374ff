mod probe {
    qapi_macros::include_qapi!("tests/ui/schemas/no-such-schema.json");
}

fn main() {}
