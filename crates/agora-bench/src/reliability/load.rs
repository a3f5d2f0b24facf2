//! A mixed load with an established tool (wrk): 64 connections for a minute, mostly
//! searches, some reads, a few writes, against the real server on a synthetic directory.
//! Requests per second, latency percentiles, errors (which must be none) and the server's
//! peak memory, on SQLite and on PostgreSQL side by side.

use super::Target;
use super::api::{Api, WRITER};
use crate::corpus::Corpus;
use anyhow::{Context as _, bail};
use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

#[derive(Debug, Default, Clone)]
pub struct LoadFigures {
    pub requests: u64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Non-2xx answers, socket errors and timeouts.
    pub errors: u64,
    pub peak_mib: u64,
}

/// wrk's Lua script: the mix, with a bearer token for the writes.
pub(super) fn script(token: &str, ids: &[String]) -> String {
    let searches = [
        "q=emploi",
        "q=soutien%20psychologique",
        "q=aidants&code_region=27",
        "theme=travail-emploi&code_departement=25",
        "q=cancer%20du%20sein",
        "kind=service&free=true",
        "q=reprise%20du%20travail",
        "code_region=84&theme=apres-cancer",
        "q=sophrologie",
        "labelled=true",
    ];
    let mut s = String::new();
    let _ = writeln!(s, "local token = \"{token}\"");
    let _ = writeln!(
        s,
        "local searches = {{{}}}",
        searches
            .iter()
            .map(|q| format!("\"{q}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    let _ = writeln!(
        s,
        "local ids = {{{}}}",
        ids.iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    s.push_str(
        r#"
local n = 0
math.randomseed(os.time())
request = function()
  n = n + 1
  local r = math.random(100)
  if r <= 80 then
    return wrk.format("GET", "/api/v1/search?" .. searches[math.random(#searches)] .. "&limit=20")
  elseif r <= 95 then
    if r % 3 == 0 then
      return wrk.format("GET", "/api/v1/structures?limit=20")
    end
    return wrk.format("GET", "/api/v1/structures/" .. ids[math.random(#ids)])
  else
    local body = '{"name":"Association sous charge ' .. n .. '-' .. math.random(1000000000) ..
      '","structure_kind":"association","rna":"W251000123","summary":"Créée sous charge.",' ..
      '"address":{"postcode":"25000","commune_code":"25056","commune_name":"Besançon"}}'
    return wrk.format("POST", "/api/v1/structures",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
  end
end
"#,
    );
    s
}

/// A duration as wrk prints it (`1.23ms`, `850.00us`, `1.02s`), in milliseconds.
pub(super) fn millis(text: &str) -> Option<f64> {
    let (number, unit) = text
        .find(|c: char| c.is_ascii_alphabetic())
        .map(|i| text.split_at(i))?;
    let v: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => v / 1000.0,
        "ms" => v,
        "s" => v * 1000.0,
        "m" => v * 60_000.0,
        _ => return None,
    })
}

pub(super) fn parse(out: &str, figures: &mut LoadFigures) {
    for line in out.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", v] => figures.p50_ms = millis(v).unwrap_or(f64::NAN),
            ["99%", v] => figures.p99_ms = millis(v).unwrap_or(f64::NAN),
            ["Requests/sec:", v] => figures.per_second = v.parse().unwrap_or(0.0),
            [n, "requests", "in", ..] => figures.requests = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => {
                figures.errors += n.parse::<u64>().unwrap_or(0)
            }
            ["Socket", "errors:", rest @ ..] => {
                // "connect 0, read 0, write 0, timeout 0"
                figures.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
}

pub async fn run(
    target: &Target,
    corpus_size: u64,
    seconds: u64,
    connections: u32,
    centroids: &std::path::Path,
) -> anyhow::Result<LoadFigures> {
    let agora = target.agora("load").await?;
    let structures = directory(target, &agora, corpus_size, centroids).await?;
    let server = agora.serve()?;
    let api = Api::new(&server.base)?;
    api.wait_ready(Duration::from_secs(60)).await?;
    let token = api.login(WRITER).await?;
    let lua = agora.data_dir.join("mix.lua");
    std::fs::write(&lua, script(&token, &structures))?;
    let out = Command::new("wrk")
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
        .arg(&lua)
        .arg(&server.base)
        .output()
        .context("wrk is needed (Debian package `wrk`)")?;
    if !out.status.success() {
        bail!("wrk failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut figures = LoadFigures {
        peak_mib: server.peak_memory().unwrap_or(0) / (1024 * 1024),
        ..LoadFigures::default()
    };
    parse(&text, &mut figures);
    if figures.requests == 0 {
        bail!("could not read wrk's output:\n{text}");
    }
    server.stop();
    Ok(figures)
}

/// The writer's account and a synthetic directory of `corpus_size` listings, written as
/// moderation leaves them, then indexed; returns some structures' ids for the reads.
pub(super) async fn directory(
    target: &Target,
    agora: &crate::process::Agora,
    corpus_size: u64,
    centroids: &std::path::Path,
) -> anyhow::Result<Vec<String>> {
    agora.run(&["geo", "import", &centroids.to_string_lossy()])?;
    agora.run_with_input(
        &["user", "create", "--email", WRITER.0, "--password-stdin"],
        WRITER.1,
    )?;
    // The directory: a synthetic corpus written as moderation leaves it, then indexed.
    let db = target.connect(agora).await?;
    let vocab = agora_store::vocabularies::load(&db).await?;
    let points = agora_geo::CommunePoints::new(agora_store::geography::centroids(&db).await?);
    let now = chrono::Utc::now();
    let corpus = Corpus::new(20_261_130, vocab, points, now);
    let mut start = 0;
    while start < corpus_size {
        let end = (start + 5_000).min(corpus_size);
        let batch: Vec<_> = (start..end).map(|i| corpus.listing(i)).collect();
        crate::load::insert(&db, &batch, now).await?;
        start = end;
    }
    let structures: Vec<String> =
        agora_store::listings::list_public(&db, agora_domain::ListingKind::Structure, None, 200)
            .await?
            .iter()
            .map(|r| r.id.to_string())
            .collect();
    db.close().await?;
    agora.run(&["reindex"])?;
    Ok(structures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_output_is_read() {
        let out = "Running 10s test @ http://127.0.0.1:8080
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.08ms    2.10ms  40.01ms   80.00%
  Latency Distribution
     50%    3.70ms
     75%    4.90ms
     90%    6.50ms
     99%   12.30ms
  150000 requests in 10.00s, 90.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  15000.50
Transfer/sec:      9.00MB
";
        let mut f = LoadFigures::default();
        parse(out, &mut f);
        assert_eq!(f.requests, 150_000);
        assert_eq!(f.errors, 7);
        assert!((f.p50_ms - 3.7).abs() < 1e-9 && (f.p99_ms - 12.3).abs() < 1e-9);
        assert!((f.per_second - 15000.5).abs() < 1e-9);
        assert_eq!(millis("850.00us"), Some(0.85));
        assert_eq!(millis("1.5s"), Some(1500.0));
    }
}
