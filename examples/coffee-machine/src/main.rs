//! `coffee-machine`: serves the demo schema's commands on standard input and output, one JSON
//! object per line.

fn main() -> std::io::Result<()> {
    let mut machine = coffee_machine::Machine::new(500);
    coffee_machine::serve(
        &mut machine,
        std::io::stdin().lock(),
        std::io::stdout().lock(),
    )
}
