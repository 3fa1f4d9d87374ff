//! A session with the coffee machine through `qapi-client`: typed commands in, replies and
//! events out.

use std::os::unix::net::UnixStream;

use coffee_machine::bindings::commands::{Brew, QueryStatus};
use coffee_machine::bindings::events::{DrinkReady, Event};
use coffee_machine::bindings::{DrinkKind, DrinkOrder, DrinkOrderKind, EspressoOptions};
use qapi_client::blocking::Client;
use qapi_client::{Config, Error, ErrorClass, EventFilter};
use serde_json::json;

fn connect(beans_grams: u32) -> Client {
    let (ours, theirs) = UnixStream::pair().unwrap();
    std::thread::spawn(move || {
        coffee_machine::serve(beans_grams, theirs.try_clone().unwrap(), theirs)
    });
    Client::from_io(ours.try_clone().unwrap(), ours, Config::default()).unwrap()
}

#[test]
fn brews_reports_and_refuses() {
    let machine = connect(20);
    assert_eq!(machine.greeting().version.qemu.major, 1);
    let events = machine.subscribe::<Event>(EventFilter::All);

    let espresso = DrinkOrder {
        kind: DrinkOrderKind::Espresso(EspressoOptions {
            shots: 2,
            ristretto: None,
        }),
        volume: None,
    };
    machine.execute(Brew(espresso)).unwrap();
    let ready = events.recv().unwrap();
    assert_eq!(
        ready.event,
        Event::DrinkReady(DrinkReady {
            kind: DrinkKind::Espresso,
            millilitres: 30
        })
    );
    assert!(ready.timestamp.is_some());

    let americano = DrinkOrder {
        kind: DrinkOrderKind::Americano,
        volume: None,
    };
    let refused = machine.execute(Brew(americano)).unwrap_err();
    let Error::Qmp(refused) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(
        (refused.class, refused.desc.as_str()),
        (ErrorClass::GenericError, "out of beans")
    );

    let status = machine.execute(QueryStatus).unwrap();
    assert_eq!((status.beans_grams, status.drinks_served), (2, 1));

    let tea = machine
        .execute_raw("brew", &json!({ "kind": "tea" }))
        .unwrap_err();
    assert!(tea.to_string().contains("unknown value `tea`"), "{tea}");
    let toast = machine.execute_raw("make-toast", &json!({})).unwrap_err();
    assert!(matches!(toast, Error::Qmp(error) if error.class == ErrorClass::CommandNotFound));
    assert!(events.try_recv().is_none());
}
