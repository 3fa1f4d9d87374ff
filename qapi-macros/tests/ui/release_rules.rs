// The schema uses a simple union, which QEMU 10.0's rules no longer have.
mod legacy {
    qapi_macros::include_qapi!("tests/ui/schemas/legacy.json", qemu = "10.0");
}

fn main() {}
