//! A session with the coffee machine: requests in, responses and events out.

use serde_json::{Value, json};

fn session(requests: &[Value]) -> Vec<Value> {
    let input: String = requests
        .iter()
        .map(|request| format!("{request}\n"))
        .collect();
    let mut output = Vec::new();
    let mut machine = coffee_machine::Machine::new(20);
    coffee_machine::serve(&mut machine, input.as_bytes(), &mut output).unwrap();
    String::from_utf8(output)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn brews_reports_and_refuses() {
    let replies = session(&[
        json!({ "execute": "brew", "arguments": { "kind": "espresso", "shots": 2 }, "id": 1 }),
        json!({ "execute": "brew", "arguments": { "kind": "americano", "volume": 1800 }, "id": 2 }),
        json!({ "execute": "query-status", "id": 3 }),
        json!({ "execute": "brew", "arguments": { "kind": "tea" }, "id": 4 }),
        json!({ "execute": "make-toast", "id": 5 }),
    ]);
    assert_eq!(
        replies,
        [
            json!({ "return": {}, "id": 1 }),
            json!({ "event": "DRINK_READY", "data": { "kind": "espresso", "millilitres": 30 } }),
            json!({ "error": { "class": "GenericError", "desc": "out of beans" }, "id": 2 }),
            json!({ "return": { "state": "idle", "water-percent": 99, "beans-grams": 2,
                                "drinks-served": 1 }, "id": 3 }),
            json!({ "error": { "class": "GenericError",
                               "desc": "Invalid arguments for brew: arguments.kind (in DrinkOrder): unknown value `tea`" },
                    "id": 4 }),
            json!({ "error": { "class": "CommandNotFound",
                               "desc": "The command make-toast has not been found" }, "id": 5 }),
        ]
    );
}
