//! Criterion view of the decode benchmark, for looking at one reply closely:
//! `cargo bench -- query-qmp-schema` in this directory. One group per captured reply, one
//! benchmark per contender that decodes it. `cargo xtask bench decode` uses the interleaved
//! loop in `src/main.rs` instead, which is what `docs/bench.md` reports.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qapi_decode_bench::{Contender, default_replies_path, load_replies};

fn decode_replies(c: &mut Criterion) {
    let replies = load_replies(&default_replies_path()).unwrap_or_else(|error| panic!("{error}"));
    for (command, text) in &replies {
        let mut group = c.benchmark_group(command);
        group.throughput(Throughput::Bytes(text.len() as u64));
        for contender in Contender::ALL {
            let Some(decoder) = contender.decoder(command) else {
                continue;
            };
            if decoder(command, text).is_err() {
                continue;
            }
            group.bench_function(contender.key(), |b| {
                b.iter(|| decoder(black_box(command), black_box(text)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, decode_replies);
criterion_main!(benches);
