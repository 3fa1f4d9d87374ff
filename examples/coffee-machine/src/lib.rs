//! A coffee machine that speaks QMP: the project's demo schema, its commands implemented on
//! the generated `Server` trait and served by `qapi-client` (greeting, capabilities
//! negotiation, events), so any QMP client can order a drink.
//!
//! The bindings in `src/bindings.rs` are checked in. They were written by `qapi-gen` with the
//! arguments in `qapi-gen.args`; `cargo xtask bindings` writes them again, and a test of
//! `qapi-gen` fails when they differ from what it generates now.

use std::io::{Read, Write};

use qapi_client::{Emitter, ServerConfig, VersionNumbers};

/// The generated bindings (checked in; see the crate docs). rustfmt leaves them as `qapi-gen`
/// wrote them, so that the staleness test compares like with like.
#[rustfmt::skip]
pub mod bindings;

use bindings::commands::{Brew, Clean, Server, Service, SetStandbyTimeout};
use bindings::events::{DrinkReady, Event, WaterLow};
use bindings::protocol::{Empty, Error};
use bindings::{CupVolume, DrinkKind, DrinkOrderKind, MachineState, MachineStatus};

/// Grams of beans one shot uses.
const GRAMS_PER_SHOT: u32 = 9;

/// The machine's state, and where its events go.
#[derive(Debug)]
pub struct Machine {
    status: MachineStatus,
    /// Minutes of inactivity before standby.
    pub standby_minutes: u16,
    events: Emitter,
}

impl Machine {
    /// A machine with a full water tank and `beans_grams` of beans, reporting its events to
    /// the connections of `events`.
    pub fn new(beans_grams: u32, events: Emitter) -> Machine {
        Machine {
            status: MachineStatus {
                state: MachineState::Idle,
                water_percent: 100,
                beans_grams,
                drinks_served: 0,
            },
            standby_minutes: 30,
            events,
        }
    }
}

impl Server for Machine {
    fn query_status(&mut self) -> Result<MachineStatus, Error> {
        Ok(self.status.clone())
    }

    fn brew(&mut self, Brew(order): Brew) -> Result<Empty, Error> {
        let (kind, shots, default_volume) = match order.kind {
            DrinkOrderKind::Espresso(options) => (DrinkKind::Espresso, options.shots, 30),
            DrinkOrderKind::Americano => (DrinkKind::Americano, 1, 150),
            DrinkOrderKind::Cappuccino(_) => (DrinkKind::Cappuccino, 1, 180),
        };
        if !(1..=2).contains(&shots) {
            return Err(Error::generic("an espresso has one or two shots"));
        }
        let grams = u32::from(shots) * GRAMS_PER_SHOT;
        if self.status.beans_grams < grams {
            return Err(Error::generic("out of beans"));
        }
        let millilitres = match order.volume {
            Some(CupVolume::Millilitres(millilitres)) => millilitres,
            Some(CupVolume::Default(())) | None => default_volume,
        };
        // A full tank holds two litres.
        let used_percent = u8::try_from(u32::from(millilitres) / 20).unwrap_or(u8::MAX);
        if self.status.water_percent < used_percent {
            return Err(Error::generic("not enough water"));
        }
        self.status.beans_grams -= grams;
        self.status.water_percent -= used_percent;
        self.status.drinks_served += 1;
        self.events
            .emit(&Event::DrinkReady(DrinkReady { kind, millilitres }));
        if self.status.water_percent < 20 {
            self.events.emit(&Event::WaterLow(WaterLow {
                water_percent: self.status.water_percent,
            }));
        }
        Ok(Empty)
    }

    fn clean(&mut self, arguments: Clean) -> Result<Empty, Error> {
        if arguments.rinse_only != Some(true) {
            self.status.drinks_served = 0;
        }
        Ok(Empty)
    }

    fn set_standby_timeout(&mut self, arguments: SetStandbyTimeout) -> Result<Empty, Error> {
        self.standby_minutes = arguments.minutes;
        Ok(Empty)
    }
}

/// What the machine says about itself in its greeting.
pub fn greeting() -> ServerConfig {
    ServerConfig {
        version: VersionNumbers {
            major: 1,
            minor: 0,
            micro: 0,
        },
        package: "coffee-machine".to_owned(),
        oob: false,
    }
}

/// Serves one QMP connection on a machine with `beans_grams` of beans: greets, negotiates,
/// then answers requests from `input` on `output` and reports the machine's events there.
pub fn serve(
    beans_grams: u32,
    input: impl Read,
    output: impl Write + Send + 'static,
) -> std::io::Result<()> {
    let events = Emitter::new();
    let mut machine = Service(Machine::new(beans_grams, events.clone()));
    qapi_client::blocking::serve(input, output, &mut machine, &events, &greeting())
}
