//! The product's own binary, run as users run it: `agora geo import`, `agora reindex`,
//! `agora serve`, with their time and peak memory.

use anyhow::{Context as _, bail};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Peak resident memory of a running process, from the kernel's high-water mark.
pub fn peak_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Resident memory of a running process now.
pub fn resident_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[derive(Clone)]
pub struct Agora {
    pub binary: PathBuf,
    pub data_dir: PathBuf,
    /// Settings given as `AGORA_*` variables (a PostgreSQL database, limits).
    pub env: Vec<(String, String)>,
    /// Where the logs go (the data directory unless told).
    pub logs: PathBuf,
}

impl Agora {
    pub fn new(binary: &Path, data_dir: &Path) -> Self {
        Self {
            binary: binary.to_path_buf(),
            data_dir: data_dir.to_path_buf(),
            env: Vec::new(),
            logs: data_dir.to_path_buf(),
        }
    }

    /// Logs somewhere else than the data directory (a disk that fills up).
    pub fn with_logs(mut self, dir: &Path) -> Self {
        self.logs = dir.to_path_buf();
        self
    }

    pub fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.binary);
        cmd.arg("--data-dir")
            .arg(&self.data_dir)
            .args(args)
            .env_remove("AGORA_DATABASE_URL")
            .env_remove("AGORA_CONFIG")
            .env_remove("AGORA_DATA_DIR")
            .env("AGORA_LOG", "warn")
            // Loads come from one address: the per-address limit of open reads would
            // measure itself. It has tests of its own.
            .env("AGORA_PARTNERS__ANONYMOUS_PER_MINUTE", "0");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs a command with `input` on its standard input (a password); fails unless it
    /// succeeds.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> anyhow::Result<()> {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", self.binary.display()))?;
        child
            .stdin
            .take()
            .context("no stdin")?
            .write_all(input.as_bytes())?;
        let out = child.wait_with_output()?;
        if !out.status.success() {
            bail!(
                "agora {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }

    fn log(&self, name: &str) -> anyhow::Result<std::fs::File> {
        Ok(std::fs::File::create(
            self.logs.join(format!("{name}.log")),
        )?)
    }

    /// A log kept across restarts.
    fn append_log(&self, name: &str) -> anyhow::Result<std::fs::File> {
        Ok(std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.logs.join(format!("{name}.log")))?)
    }

    /// Runs a command to its end; returns its wall time and peak memory.
    pub fn run(&self, args: &[&str]) -> anyhow::Result<(Duration, Option<u64>)> {
        let started = Instant::now();
        let name = args.first().copied().unwrap_or("agora");
        let mut child = self
            .command(args)
            .stdout(self.log(name)?)
            .stderr(self.log(&format!("{name}.err"))?)
            .spawn()
            .with_context(|| format!("cannot start {}", self.binary.display()))?;
        // The high-water mark only grows: the last reading before exit is the peak.
        let mut peak = None;
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            peak = peak_memory(child.id()).or(peak);
            std::thread::sleep(Duration::from_millis(50));
        };
        if !status.success() {
            bail!(
                "agora {} failed ({status}); see {}",
                args.join(" "),
                self.data_dir.join(format!("{name}.err.log")).display()
            );
        }
        Ok((started.elapsed(), peak))
    }

    /// Starts the server on a free port and waits until it listens.
    pub fn serve(&self) -> anyhow::Result<Server> {
        self.serve_with(&[])
    }

    /// [`serve`](Self::serve) with more arguments (`--demo`).
    pub fn serve_with(&self, extra: &[&str]) -> anyhow::Result<Server> {
        self.serve_at("127.0.0.1:0", extra)
    }

    /// Starts the server on `bind` (a fixed port behind a proxy) and waits until it listens.
    pub fn serve_at(&self, bind: &str, extra: &[&str]) -> anyhow::Result<Server> {
        let mut args = vec!["serve", "--bind", bind];
        args.extend_from_slice(extra);
        let mut child = self
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(self.append_log("serve.err")?)
            .spawn()
            .with_context(|| format!("cannot start {}", self.binary.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let Some(line) = lines.next().transpose()? else {
                bail!("agora serve stopped before listening; see serve.err.log");
            };
            if let Some(rest) = line.strip_prefix("Agora is listening on ") {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
            }
        };
        // Keep draining stdout (the server's log) into a file, so that the server never
        // blocks on a full pipe.
        let mut log = self.append_log("serve.out")?;
        std::thread::spawn(move || {
            use std::io::Write;
            for line in lines.map_while(Result::ok) {
                let _ = writeln!(log, "{line}");
            }
        });
        Ok(Server { child, base })
    }
}

pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn peak_memory(&self) -> Option<u64> {
        peak_memory(self.child.id())
    }

    pub fn pid(&self) -> Option<u32> {
        Some(self.child.id())
    }

    /// Kills the server at once (SIGKILL): no shutdown, nothing flushed.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM (a service manager stopping it) without waiting.
    pub fn terminate(&self) -> anyhow::Result<()> {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()?;
        anyhow::ensure!(status.success(), "kill -TERM {} failed", self.child.id());
        Ok(())
    }

    /// Waits up to `within` for the process to exit; its exit code (`None`: ended by a
    /// signal, or still running then, and killed).
    pub fn wait_exit(mut self, within: Duration) -> Option<i32> {
        let started = Instant::now();
        while started.elapsed() < within {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        None
    }

    /// Stops the server as an operator does (SIGTERM), and waits for it.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `agora` binary asked for (by default the one next to this program), which must
/// have been built.
pub fn built_binary(asked: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let binary = asked.unwrap_or_else(default_binary);
    if !binary.exists() {
        bail!(
            "{} not found: build it first (cargo build --release -p agora -p agora-bench)",
            binary.display()
        );
    }
    Ok(binary)
}

pub fn default_binary() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|dir| dir.join("agora")))
        .unwrap_or_else(|| Path::new("target/release/agora").to_path_buf())
}
