//! `coffee-machine [SOCKET]`: serves the demo schema's commands over QMP, on the unix socket
//! SOCKET (one connection at a time) or else on standard input and output.

fn main() -> std::io::Result<()> {
    const BEANS_GRAMS: u32 = 500;
    let Some(socket) = std::env::args_os().nth(1) else {
        return coffee_machine::serve(BEANS_GRAMS, std::io::stdin(), std::io::stdout());
    };
    let listener = std::os::unix::net::UnixListener::bind(socket)?;
    for stream in listener.incoming() {
        let stream = stream?;
        coffee_machine::serve(BEANS_GRAMS, stream.try_clone()?, stream)?;
    }
    Ok(())
}
