//! A rolling restart behind a proxy. Two instances share one PostgreSQL behind nginx
//! (a new upstream connection per request, the other instance tried when one refuses
//! the connection); a mixed wrk load goes through nginx for the whole run while each
//! instance in turn gets SIGTERM, exits, is started again and becomes ready. Beside it,
//! in the same run, the same load with no restart, and with `kill -9` instead of SIGTERM
//! to show what the drain buys. A probe beside wrk times the requests sent while an
//! instance is restarting.

use super::Target;
use super::api::{self, Api, WRITER};
use super::load;
use crate::process::{Agora, Server};
use anyhow::{Context as _, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Both instances sign tokens with this key: a session opened on one is valid on the other.
const SHARED_SECRET: &str = "rolling-restart-shared-key-of-at-least-32-bytes";
/// What a drained instance may take before the scenario calls it stuck.
const EXIT_WITHIN: Duration = Duration::from_secs(40);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restart {
    None,
    Graceful,
    Kill,
}

impl Restart {
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "no restart",
            Self::Graceful => "SIGTERM",
            Self::Kill => "kill -9",
        }
    }
}

/// One instance's restart.
#[derive(Debug, Clone)]
pub struct InstanceRestart {
    pub name: &'static str,
    /// From the signal to the process's exit.
    pub drain: Duration,
    /// `None` when a signal ended it (kill -9) or it did not exit in time.
    pub exit_code: Option<i32>,
    /// From the signal to the new process answering `/ready`.
    pub back_after: Duration,
}

#[derive(Debug, Clone)]
pub struct RollingFigures {
    pub mode: Restart,
    pub requests: u64,
    pub per_second: f64,
    pub non_2xx: u64,
    pub connect: u64,
    pub read: u64,
    pub write: u64,
    pub timeout: u64,
    /// wrk's slowest request over the whole run.
    pub max_ms: f64,
    pub restarts: Vec<InstanceRestart>,
    /// Probe requests (searches and registrations) and how many failed.
    pub probed: usize,
    pub probe_failed: usize,
    /// The slowest probe request sent while an instance was restarting.
    pub max_ms_during_restarts: f64,
}

impl RollingFigures {
    pub fn failed(&self) -> u64 {
        self.non_2xx
            + self.connect
            + self.read
            + self.write
            + self.timeout
            + self.probe_failed as u64
    }
}

/// wrk's figures this scenario reports (beyond those of the plain load).
fn parse(out: &str, f: &mut RollingFigures) {
    let mut plain = load::LoadFigures::default();
    load::parse(out, &mut plain);
    f.requests = plain.requests;
    f.per_second = plain.per_second;
    for line in out.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Latency", _avg, _stdev, max, ..] => {
                f.max_ms = load::millis(max).unwrap_or(f64::NAN);
            }
            ["Non-2xx", "or", "3xx", "responses:", n] => f.non_2xx = n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                let numbers: Vec<u64> = rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse().ok())
                    .collect();
                if let [c, r, w, t] = numbers.as_slice() {
                    (f.connect, f.read, f.write, f.timeout) = (*c, *r, *w, *t);
                }
            }
            _ => {}
        }
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// nginx in front of both instances, from a generated configuration.
struct Nginx {
    child: Child,
    base: String,
}

impl Nginx {
    fn start(dir: &Path, port: u16, upstreams: [u16; 2]) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let d = dir.display();
        let mut conf = String::new();
        let _ = write!(
            conf,
            r#"daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    upstream agora {{
        # Never marked down: each request tries the next instance when one refuses.
        server 127.0.0.1:{a} max_fails=0;
        server 127.0.0.1:{b} max_fails=0;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://agora;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"#,
            a = upstreams[0],
            b = upstreams[1],
        );
        let path = dir.join("nginx.conf");
        std::fs::write(&path, conf)?;
        let child = Command::new("nginx")
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("nginx is needed (Debian package `nginx-light`)")?;
        Ok(Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        })
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM to the master stops its workers too; SIGKILL would leave them running.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `agora` on `port` without blocking the clients' thread.
async fn serve(agora: &Agora, port: u16) -> anyhow::Result<Server> {
    let agora = agora.clone();
    let server =
        tokio::task::spawn_blocking(move || agora.serve_at(&format!("127.0.0.1:{port}"), &[]))
            .await??;
    Api::new(&server.base)?
        .wait_ready(Duration::from_secs(120))
        .await?;
    Ok(server)
}

/// What the probe saw: when each request left, how long it took, whether it succeeded.
type Probed = Arc<Mutex<Vec<(Instant, Duration, bool)>>>;

/// Searches and registrations through the proxy, one at a time, until `until`.
async fn probe(api: Api, token: String, until: Instant, seen: Probed) {
    let mut n = 0_u64;
    while Instant::now() < until {
        n += 1;
        let started = Instant::now();
        let answer = if n.is_multiple_of(4) {
            api.post(
                "/api/v1/structures",
                Some(&token),
                Some(api::structure(n, 1)),
            )
            .await
        } else {
            api.get("/api/v1/search?q=emploi&limit=20", None).await
        };
        seen.lock()
            .await
            .push((started, started.elapsed(), answer.ok()));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Stops `server` as `mode` says and starts it again on `port`.
async fn restart(
    mode: Restart,
    name: &'static str,
    agora: &Agora,
    server: Server,
    port: u16,
) -> anyhow::Result<(Server, InstanceRestart)> {
    let signalled = Instant::now();
    let exit_code = match mode {
        Restart::Kill => {
            tokio::task::spawn_blocking(move || server.kill()).await?;
            None
        }
        _ => {
            server.terminate()?;
            tokio::task::spawn_blocking(move || server.wait_exit(EXIT_WITHIN)).await?
        }
    };
    let drain = signalled.elapsed();
    eprintln!(
        "  {name}: {} → exited {exit_code:?} after {} ms",
        mode.label(),
        drain.as_millis()
    );
    let server = serve(agora, port).await?;
    let back_after = signalled.elapsed();
    eprintln!(
        "  {name}: ready again {} ms after the signal",
        back_after.as_millis()
    );
    Ok((
        server,
        InstanceRestart {
            name,
            drain,
            exit_code,
            back_after,
        },
    ))
}

fn wrk(lua: &Path, base: &str, seconds: u64, connections: u32) -> anyhow::Result<Child> {
    Command::new("wrk")
        .args([
            "--latency",
            "-t",
            "2",
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "10s",
            "-s",
        ])
        .arg(lua)
        .arg(base)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("wrk is needed (Debian package `wrk`)")
}

/// One run of the load through nginx, with the restarts `mode` asks for.
#[allow(clippy::too_many_arguments)]
async fn one_run(
    mode: Restart,
    instances: &[Agora; 2],
    ports: [u16; 2],
    proxy: &str,
    structures: &[String],
    seconds: u64,
    connections: u32,
    work: &Path,
) -> anyhow::Result<RollingFigures> {
    let mut servers = [
        Some(serve(&instances[0], ports[0]).await?),
        Some(serve(&instances[1], ports[1]).await?),
    ];
    let api = Api::new(proxy)?;
    api.wait_ready(Duration::from_secs(30)).await?;
    let token = api.login(WRITER).await?;
    let lua = work.join("rolling-mix.lua");
    // Beside the mix: every answer other than a 2xx is written down, status and body.
    let failures = work.join(format!("non-2xx-{}.log", mode.label().replace(' ', "-")));
    let mut script = load::script(&token, structures);
    let _ = write!(
        script,
        r#"
local failures = io.open("{}", "a")
response = function(status, headers, body)
  if status >= 300 then
    failures:write(status .. " " .. string.sub(string.gsub(body, "%s+", " "), 1, 300) .. "\n")
    failures:flush()
  end
end
"#,
        failures.display()
    );
    std::fs::write(&lua, script)?;
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let load = wrk(&lua, proxy, seconds, connections)?;
    let seen: Probed = Arc::default();
    let prober = tokio::spawn(probe(api.clone(), token, until, seen.clone()));
    let mut restarts = Vec::new();
    let mut windows = Vec::new();
    if mode != Restart::None {
        tokio::time::sleep(Duration::from_secs(3)).await;
        for (i, name) in ["A", "B"].into_iter().enumerate() {
            let server = servers[i].take().context("an instance is running")?;
            let from = Instant::now();
            let (server, r) = restart(mode, name, &instances[i], server, ports[i]).await?;
            servers[i] = Some(server);
            windows.push((from, Instant::now()));
            restarts.push(r);
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        if Instant::now() + Duration::from_secs(1) > until {
            eprintln!("  warning: the restarts outlasted the load; lengthen the run");
        }
    }
    let out = tokio::task::spawn_blocking(move || load.wait_with_output()).await??;
    let _ = prober.await;
    if !out.status.success() {
        bail!("wrk failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let seen = seen.lock().await.clone();
    let mut figures = RollingFigures {
        mode,
        requests: 0,
        per_second: 0.0,
        non_2xx: 0,
        connect: 0,
        read: 0,
        write: 0,
        timeout: 0,
        max_ms: 0.0,
        restarts,
        probed: seen.len(),
        probe_failed: seen.iter().filter(|(_, _, ok)| !ok).count(),
        max_ms_during_restarts: seen
            .iter()
            .filter(|(at, took, _)| {
                windows
                    .iter()
                    .any(|(from, to)| *at + *took >= *from && *at <= *to)
            })
            .map(|(_, took, _)| took.as_secs_f64() * 1000.0)
            .fold(0.0, f64::max),
    };
    parse(&text, &mut figures);
    if figures.requests == 0 {
        bail!("could not read wrk's output:\n{text}");
    }
    if let Ok(seen) = std::fs::read_to_string(&failures) {
        for line in seen.lines().take(10) {
            eprintln!("  not a 2xx: {line}");
        }
    }
    for server in servers.into_iter().flatten() {
        tokio::task::spawn_blocking(move || server.stop()).await?;
    }
    Ok(figures)
}

/// The instances' data directories: each its own index, one database.
fn second_instance(target: &Target, first: &Agora) -> anyhow::Result<Agora> {
    let dir: PathBuf = target.work.join("rolling-b-pg");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let mut b = Agora::new(&target.binary, &dir);
    b.env = first.env.clone();
    Ok(b)
}

pub async fn run(
    target: &Target,
    corpus_size: u64,
    seconds: u64,
    connections: u32,
    centroids: &Path,
    modes: &[Restart],
) -> anyhow::Result<Vec<RollingFigures>> {
    anyhow::ensure!(
        target.pg.is_some(),
        "two instances share a database: PostgreSQL"
    );
    let a = target
        .agora("rolling")
        .await?
        .with_env("AGORA_AUTH__SECRET", SHARED_SECRET);
    let structures = load::directory(target, &a, corpus_size, centroids).await?;
    let b = second_instance(target, &a)?;
    b.run(&["reindex"])?;
    let ports = [free_port()?, free_port()?];
    let nginx = Nginx::start(&target.work.join("nginx"), free_port()?, ports)?;
    let instances = [a, b];
    let mut all = Vec::new();
    for mode in modes {
        eprintln!("  [{}]", mode.label());
        all.push(
            one_run(
                *mode,
                &instances,
                ports,
                &nginx.base,
                &structures,
                seconds,
                connections,
                &target.work,
            )
            .await?,
        );
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_errors_are_read_one_by_one() {
        let out = "  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.08ms    2.10ms   1.20s    80.00%
     50%    3.70ms
     99%   12.30ms
  15000 requests in 20.00s, 9.00MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 5
Requests/sec:    750.00
";
        let mut f = RollingFigures {
            mode: Restart::Graceful,
            requests: 0,
            per_second: 0.0,
            non_2xx: 0,
            connect: 0,
            read: 0,
            write: 0,
            timeout: 0,
            max_ms: 0.0,
            restarts: Vec::new(),
            probed: 0,
            probe_failed: 0,
            max_ms_during_restarts: 0.0,
        };
        parse(out, &mut f);
        assert_eq!((f.connect, f.read, f.write, f.timeout), (1, 2, 3, 4));
        assert_eq!(f.non_2xx, 5);
        assert_eq!(f.requests, 15_000);
        assert!((f.max_ms - 1200.0).abs() < 1e-9);
        assert_eq!(f.failed(), 15);
    }
}
