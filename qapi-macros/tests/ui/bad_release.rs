mod workshop {
    qapi_macros::include_qapi!("tests/ui/schemas/probe.json", qemu = "4.2");
}

fn main() {}
