mod probe {
    qapi_macros::include_qapi!("tests/ui/schemas/broken.json");
}

fn main() {}
