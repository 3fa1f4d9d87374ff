//! A client for `qemu-storage-daemon`'s monitor through `qapi-client`, on bindings that
//! `include_qapi!` generates at compile time from `schema/storage.json`, a small schema of
//! this example's own.

use qapi_client::blocking::Client;

/// The generated bindings, plugged into `qapi-client`.
pub mod storage {
    qapi_macros::include_qapi!("schema/storage.json", server = false, runtime = true);
}

use storage::commands::{BlockdevAdd, BlockdevDel, QueryNamedBlockNodes};
use storage::{BlockNode, BlockdevOptions, BlockdevOptionsDriver, NullOptions};

/// Adds a null node named `name` of `size` bytes, lists the nodes, removes the node again,
/// and returns the list as it was while the node existed.
pub fn null_node_round_trip(
    monitor: &Client,
    name: &str,
    size: i64,
) -> Result<Vec<BlockNode>, qapi_client::Error> {
    let options = BlockdevOptions {
        node_name: name.to_owned(),
        read_only: Some(true),
        driver: BlockdevOptionsDriver::NullCo(NullOptions {
            size: Some(size),
            read_zeroes: Some(true),
        }),
    };
    monitor.execute(BlockdevAdd(options))?;
    let nodes = monitor.execute(QueryNamedBlockNodes { flat: Some(true) })?;
    monitor.execute(BlockdevDel {
        node_name: name.to_owned(),
    })?;
    Ok(nodes)
}
