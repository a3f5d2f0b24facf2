//! The real `agora` binary, started as a newcomer starts it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Served {
    child: Child,
    pub base: String,
    /// What it printed up to the line giving its address.
    pub output: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn agora(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agora"));
    cmd.current_dir(dir)
        .env_remove("AGORA_DATABASE_URL")
        .env_remove("AGORA_DATA_DIR")
        .env("AGORA_LOG", "warn");
    cmd
}

/// Starts `agora serve --demo` in `dir` (so `./data` is inside it) and waits for its address.
pub fn serve(dir: &std::path::Path) -> Served {
    let mut child = agora(dir)
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start agora");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut output = Vec::new();
    let base = loop {
        let line = lines
            .next()
            .expect("agora stopped before listening")
            .expect("read stdout");
        output.push(line.clone());
        if let Some(rest) = line.strip_prefix("Agora is listening on ") {
            break rest.split_whitespace().next().expect("address").to_owned();
        }
    };
    // Keep draining stdout so that the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Served {
        child,
        base,
        output,
    }
}
