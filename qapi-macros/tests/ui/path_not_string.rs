mod probe {
    qapi_macros::include_qapi!(tests / probe.json);
}

fn main() {}
