//! The Rust clients, each measured in a process of its own (`qapi-client-bench client …`):
//! connect, warm up, then time a run of round trips of `query-status` by one or more callers
//! and report the process's CPU time and the wall time of the run.
//!
//! A caller is a thread for the blocking clients and a task for the tokio ones. Callers share
//! one connection wherever the client allows it; qapi-rs's blocking client takes `&mut self`
//! for a call, so its callers have a connection each, and so do those of the bare socket, the
//! baseline without a client library.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use qapi_client::{Config, Transport};

use crate::qmp::commands::QueryStatus;

/// A Rust client and the way its callers run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    /// `qapi_client::tokio::Client` on tokio's multi-thread runtime (`#[tokio::main]`).
    OursTokio,
    /// The same on tokio's current-thread runtime.
    OursTokioCurrentThread,
    /// `qapi_client::tokio::Client` on the multi-thread runtime, without negotiating `oob`
    /// with a server that offers it (`Config::oob(false)`), as qapi-rs's clients do.
    OursTokioNoOob,
    /// The same on the current-thread runtime.
    OursTokioCurrentThreadNoOob,
    /// `qapi_client::blocking::Client`, callers on threads.
    OursBlocking,
    /// The same without negotiating `oob` (`Config::oob(false)`).
    OursBlockingNoOob,
    /// The same with a client, and so a connection, per caller: like for like with
    /// qapi-rs's blocking client, which cannot share one.
    OursBlockingNoOobPerCaller,
    /// qapi-rs's `qapi::futures::QapiService` on tokio's multi-thread runtime.
    QapiRsTokio,
    /// The same on tokio's current-thread runtime.
    QapiRsTokioCurrentThread,
    /// qapi-rs's blocking `qapi::Qmp`, a connection per caller.
    QapiRsBlocking,
    /// No client library: a request line written and a reply line read on a plain unix
    /// socket, nothing encoded or decoded, a connection per caller. What a round trip costs
    /// the machine.
    BareSocket,
    /// The same with `oob` negotiated, as our clients negotiate it when the server offers it:
    /// what a round trip costs the machine in out-of-band mode.
    BareSocketOob,
}

impl Client {
    /// Every Rust client.
    pub const ALL: [Client; 12] = [
        Client::OursTokio,
        Client::OursTokioCurrentThread,
        Client::OursTokioNoOob,
        Client::OursTokioCurrentThreadNoOob,
        Client::OursBlocking,
        Client::OursBlockingNoOob,
        Client::OursBlockingNoOobPerCaller,
        Client::QapiRsTokio,
        Client::QapiRsTokioCurrentThread,
        Client::QapiRsBlocking,
        Client::BareSocket,
        Client::BareSocketOob,
    ];

    /// Its key on the command line and in the results.
    pub fn key(self) -> &'static str {
        match self {
            Client::OursTokio => "ours-tokio",
            Client::OursTokioCurrentThread => "ours-tokio-current-thread",
            Client::OursTokioNoOob => "ours-tokio-no-oob",
            Client::OursTokioCurrentThreadNoOob => "ours-tokio-current-thread-no-oob",
            Client::OursBlocking => "ours-blocking",
            Client::OursBlockingNoOob => "ours-blocking-no-oob",
            Client::OursBlockingNoOobPerCaller => "ours-blocking-no-oob-per-caller",
            Client::QapiRsTokio => "qapi-rs-tokio",
            Client::QapiRsTokioCurrentThread => "qapi-rs-tokio-current-thread",
            Client::QapiRsBlocking => "qapi-rs-blocking",
            Client::BareSocket => "bare-socket",
            Client::BareSocketOob => "bare-socket-oob",
        }
    }

    /// How many connections `callers` callers of this client use.
    pub fn connections(self, callers: usize) -> usize {
        match self {
            Client::OursBlockingNoOobPerCaller
            | Client::QapiRsBlocking
            | Client::BareSocket
            | Client::BareSocketOob => callers,
            _ => 1,
        }
    }
}

/// What one measured run gives.
pub struct Sample {
    pub round_trips: u64,
    /// User and system CPU time of the whole process over the run.
    pub cpu: Duration,
    /// The user part of `cpu`.
    pub user: Duration,
    pub wall: Duration,
}

impl Sample {
    /// The sample as the JSON line a client process prints.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "round_trips": self.round_trips,
            "cpu_ns": self.cpu.as_nanos() as u64,
            "user_ns": self.user.as_nanos() as u64,
            "wall_ns": self.wall.as_nanos() as u64,
        })
    }
}

/// The process's user and system CPU time so far, all threads (`getrusage(RUSAGE_SELF)`),
/// and its user part.
pub fn cpu_time() -> (Duration, Duration) {
    // SAFETY: `getrusage` fills the zeroed struct it is given and touches nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, &mut usage), 0);
        usage
    };
    let time = |value: libc::timeval| {
        Duration::from_secs(value.tv_sec as u64) + Duration::from_micros(value.tv_usec as u64)
    };
    let user = time(usage.ru_utime);
    (user + time(usage.ru_stime), user)
}

/// Where a measured run starts and ends.
struct Clock {
    cpu: (Duration, Duration),
    wall: Instant,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            cpu: cpu_time(),
            wall: Instant::now(),
        }
    }

    fn stop(self, round_trips: u64) -> Sample {
        let wall = self.wall.elapsed();
        let (cpu, user) = cpu_time();
        Sample {
            round_trips,
            cpu: cpu - self.cpu.0,
            user: user - self.cpu.1,
            wall,
        }
    }
}

/// What a client process is asked to do.
pub struct Run {
    pub client: Client,
    /// The server's sockets; a client with a connection per caller uses one each, the others
    /// the first.
    pub sockets: Vec<PathBuf>,
    pub callers: usize,
    /// Round trips of each caller in the measured run.
    pub per_caller: u64,
    /// Untimed round trips of each caller (or, where callers share a connection, of the
    /// connection) before the run.
    pub warm_up: u64,
}

impl Run {
    fn socket(&self, caller: usize) -> &PathBuf {
        &self.sockets[caller % self.sockets.len()]
    }
}

/// Measures one run.
pub fn measure(run: &Run) -> Result<Sample, String> {
    match run.client {
        Client::OursTokio => on_tokio(multi_thread(), ours_tokio(run, Config::default())),
        Client::OursTokioCurrentThread => {
            on_tokio(current_thread(), ours_tokio(run, Config::default()))
        }
        Client::OursTokioNoOob => on_tokio(
            multi_thread(),
            ours_tokio(run, Config::default().oob(false)),
        ),
        Client::OursTokioCurrentThreadNoOob => on_tokio(
            current_thread(),
            ours_tokio(run, Config::default().oob(false)),
        ),
        Client::OursBlocking => ours_blocking(run, Config::default()),
        Client::OursBlockingNoOob => ours_blocking(run, Config::default().oob(false)),
        Client::OursBlockingNoOobPerCaller => ours_blocking_per_caller(run),
        Client::QapiRsTokio => on_tokio(multi_thread(), qapi_rs_tokio(run)),
        Client::QapiRsTokioCurrentThread => on_tokio(current_thread(), qapi_rs_tokio(run)),
        Client::QapiRsBlocking => qapi_rs_blocking(run),
        Client::BareSocket => bare_socket(run, b"{\"execute\": \"qmp_capabilities\"}\n"),
        Client::BareSocketOob => bare_socket(
            run,
            b"{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}\n",
        ),
    }
}

fn multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn on_tokio(
    runtime: tokio::runtime::Runtime,
    run: impl Future<Output = Result<Sample, String>>,
) -> Result<Sample, String> {
    runtime.block_on(run)
}

/// Runs `callers` tasks of `per_caller` calls each, made by `call`, and times them from the
/// first task's start to the last one's end. The tasks are spawned even for one caller, as
/// the callers of an application on tokio would be.
async fn tasks<C, F>(callers: usize, per_caller: u64, call: C) -> Result<Sample, String>
where
    C: Fn() -> F + Clone + Send + 'static,
    F: Future<Output = Result<(), String>> + Send,
{
    let clock = Clock::start();
    let handles: Vec<_> = (0..callers)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                for _ in 0..per_caller {
                    call().await?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for handle in handles {
        handle.await.map_err(|error| error.to_string())??;
    }
    Ok(clock.stop(per_caller * callers as u64))
}

/// Runs `callers` threads, each first set up by `open` (untimed), then making `per_caller`
/// calls with what it opened; times the calls of all of them, from the moment every thread is
/// ready. One caller runs on the calling thread.
fn threads<T, O, C>(callers: usize, per_caller: u64, open: O, call: C) -> Result<Sample, String>
where
    O: Fn(usize) -> Result<T, String> + Sync,
    C: Fn(&mut T) -> Result<(), String> + Sync,
{
    if callers == 1 {
        let mut opened = open(0)?;
        let clock = Clock::start();
        for _ in 0..per_caller {
            call(&mut opened)?;
        }
        return Ok(clock.stop(per_caller));
    }
    let ready = Barrier::new(callers + 1);
    let go = Barrier::new(callers + 1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..callers)
            .map(|caller| {
                let (open, call, ready, go) = (&open, &call, &ready, &go);
                scope.spawn(move || {
                    let opened = open(caller);
                    ready.wait();
                    go.wait();
                    let mut opened = opened?;
                    for _ in 0..per_caller {
                        call(&mut opened)?;
                    }
                    Ok::<(), String>(())
                })
            })
            .collect();
        ready.wait();
        let clock = Clock::start();
        go.wait();
        for handle in handles {
            handle
                .join()
                .map_err(|_| "a caller panicked".to_owned())??;
        }
        Ok(clock.stop(per_caller * callers as u64))
    })
}

fn error(error: impl std::fmt::Display) -> String {
    error.to_string()
}

async fn ours_tokio(run: &Run, config: Config) -> Result<Sample, String> {
    let client = qapi_client::tokio::Client::connect(Transport::unix(run.socket(0)), config)
        .await
        .map_err(error)?;
    for _ in 0..run.warm_up {
        client.execute(QueryStatus).await.map_err(error)?;
    }
    tasks(run.callers, run.per_caller, move || {
        let client = client.clone();
        async move {
            let status = client.execute(QueryStatus).await.map_err(error)?;
            std::hint::black_box(status);
            Ok(())
        }
    })
    .await
}

fn ours_blocking(run: &Run, config: Config) -> Result<Sample, String> {
    let client = qapi_client::blocking::Client::connect(Transport::unix(run.socket(0)), config)
        .map_err(error)?;
    for _ in 0..run.warm_up {
        client.execute(QueryStatus).map_err(error)?;
    }
    threads(
        run.callers,
        run.per_caller,
        |_| Ok(client.clone()),
        blocking_round_trip,
    )
}

/// Ours as qapi-rs's blocking client has to be used: a client per caller, each on a socket
/// of its own, without `oob`.
fn ours_blocking_per_caller(run: &Run) -> Result<Sample, String> {
    let open = |caller: usize| -> Result<qapi_client::blocking::Client, String> {
        let transport = Transport::unix(run.socket(caller));
        let client =
            qapi_client::blocking::Client::connect(transport, Config::default().oob(false))
                .map_err(error)?;
        for _ in 0..run.warm_up {
            client.execute(QueryStatus).map_err(error)?;
        }
        Ok(client)
    };
    threads(run.callers, run.per_caller, open, blocking_round_trip)
}

/// One round trip of our blocking client.
fn blocking_round_trip(client: &mut qapi_client::blocking::Client) -> Result<(), String> {
    let status = client.execute(QueryStatus).map_err(error)?;
    std::hint::black_box(status);
    Ok(())
}

async fn qapi_rs_tokio(run: &Run) -> Result<Sample, String> {
    let negotiation = qapi::futures::QmpStreamTokio::open_uds(run.socket(0))
        .await
        .map_err(error)?;
    let stream = negotiation.negotiate().await.map_err(error)?;
    // The reading half runs as a task of its own; callers share the writing half.
    let (service, _reader) = stream.spawn_tokio();
    let service = Arc::new(service);
    for _ in 0..run.warm_up {
        service
            .execute(qapi_qmp::query_status {})
            .await
            .map_err(error)?;
    }
    tasks(run.callers, run.per_caller, move || {
        let service = service.clone();
        async move {
            let status = service
                .execute(qapi_qmp::query_status {})
                .await
                .map_err(error)?;
            std::hint::black_box(status);
            Ok(())
        }
    })
    .await
}

fn qapi_rs_blocking(run: &Run) -> Result<Sample, String> {
    type Qmp = qapi::Qmp<qapi::Stream<std::io::BufReader<Shared>, Shared>>;
    let open = |caller: usize| -> Result<Qmp, String> {
        let stream = UnixStream::connect(run.socket(caller)).map_err(error)?;
        let mut qmp = qapi::Qmp::from_stream(Shared(Arc::new(stream)));
        qmp.handshake().map_err(error)?;
        for _ in 0..run.warm_up {
            qmp.execute(&qapi_qmp::query_status {}).map_err(error)?;
        }
        Ok(qmp)
    };
    threads(run.callers, run.per_caller, open, |qmp| {
        let status = qmp.execute(&qapi_qmp::query_status {}).map_err(error)?;
        std::hint::black_box(status);
        Ok(())
    })
}

/// The bare socket, negotiating capabilities with the request line `negotiation`.
fn bare_socket(run: &Run, negotiation: &[u8]) -> Result<Sample, String> {
    /// A connection and the reply line last read.
    struct Bare {
        reader: BufReader<UnixStream>,
        writer: UnixStream,
        line: String,
    }
    impl Bare {
        fn round_trip(&mut self, request: &[u8]) -> Result<(), String> {
            self.writer.write_all(request).map_err(error)?;
            self.line.clear();
            match self.reader.read_line(&mut self.line).map_err(error)? {
                0 => Err("the server hung up".to_owned()),
                _ => Ok(()),
            }
        }
    }
    const REQUEST: &[u8] = b"{\"execute\": \"query-status\", \"id\": 1}\n";
    let open = |caller: usize| -> Result<Bare, String> {
        let writer = UnixStream::connect(run.socket(caller)).map_err(error)?;
        let mut bare = Bare {
            reader: BufReader::new(writer.try_clone().map_err(error)?),
            writer,
            line: String::new(),
        };
        bare.reader.read_line(&mut bare.line).map_err(error)?;
        bare.round_trip(negotiation)?;
        if !bare.line.contains("\"return\"") {
            return Err(format!("negotiation failed: {}", bare.line.trim_end()));
        }
        for _ in 0..run.warm_up {
            bare.round_trip(REQUEST)?;
        }
        Ok(bare)
    };
    threads(run.callers, run.per_caller, open, |bare| {
        bare.round_trip(REQUEST)?;
        std::hint::black_box(&bare.line);
        Ok(())
    })
}

/// A unix socket that clones into another handle of itself, as `qapi::Qmp::from_stream`
/// wants its stream (it reads through one handle and writes through the other).
#[derive(Clone)]
struct Shared(Arc<UnixStream>);

impl Read for Shared {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        (&*self.0).read(buffer)
    }
}

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        (&*self.0).write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&*self.0).flush()
    }
}
