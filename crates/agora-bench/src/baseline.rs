//! The baseline: the approach other French directories use, PostgreSQL full-text search
//! (a tsvector with the `french` configuration and a GIN index, array columns for themes
//! and places, a latitude/longitude box for distance), on the same corpus and queries.

use crate::corpus::Synthetic;
use crate::queries::{AROUND_KM, BenchQuery, Category, PAGE};
use sea_orm::sqlx::postgres::{PgConnectOptions, PgPool, PgPoolCopyExt, PgPoolOptions};
use sea_orm::sqlx::{self, AssertSqlSafe, Executor};
use std::str::FromStr;
use uuid::Uuid;

const TABLE: &str = "
CREATE TABLE listing (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    body text NOT NULL,
    themes text[] NOT NULL,
    everywhere boolean NOT NULL,
    cover_regions text[] NOT NULL,
    cover_departements text[] NOT NULL,
    cover_communes text[] NOT NULL,
    departements text[] NOT NULL,
    lat double precision,
    lon double precision,
    verified_at timestamptz NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('french', name), 'A') || setweight(to_tsvector('french', body), 'B')
    ) STORED
)";

const INDEXES: &[&str] = &[
    "CREATE INDEX listing_tsv ON listing USING gin (tsv)",
    "CREATE INDEX listing_themes ON listing USING gin (themes)",
    "CREATE INDEX listing_cover_regions ON listing USING gin (cover_regions)",
    "CREATE INDEX listing_cover_departements ON listing USING gin (cover_departements)",
    "CREATE INDEX listing_cover_communes ON listing USING gin (cover_communes)",
    "CREATE INDEX listing_departements ON listing USING gin (departements)",
    "CREATE INDEX listing_everywhere ON listing (everywhere) WHERE everywhere",
    "CREATE INDEX listing_lat_lon ON listing (lat, lon)",
    "CREATE INDEX listing_verified ON listing (verified_at DESC, id)",
    "ANALYZE listing",
];

/// Great-circle distance in km from ($1, $2), as the index computes it.
const DISTANCE: &str = "6371.0088 * 2 * asin(sqrt(power(sin(radians(lat - $1) / 2), 2) \
    + cos(radians($1)) * cos(radians(lat)) * power(sin(radians(lon - $2) / 2), 2)))";

pub struct Baseline {
    admin: PgPool,
    name: String,
    pool: PgPool,
}

fn options(url: &str) -> anyhow::Result<PgConnectOptions> {
    // JIT compilation only slows short queries down; directories turn it off.
    Ok(PgConnectOptions::from_str(url)?.options([("jit", "off")]))
}

/// One value of a COPY text row.
fn copy_text(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// A text array in COPY text form; the values are slugs and codes (no quoting needed).
fn copy_array(out: &mut String, values: &[String]) {
    out.push('{');
    out.push_str(&values.join(","));
    out.push('}');
}

impl Baseline {
    /// Creates a fresh database `name` next to the one `admin_url` names.
    pub async fn create(admin_url: &str, name: &str, connections: u32) -> anyhow::Result<Self> {
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options(admin_url)?)
            .await?;
        // `name` is the benchmark's own identifier, never input.
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&admin)
        .await?;
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await?;
        admin.close().await;
        let baseline = Self::open(admin_url, name, connections).await?;
        baseline.pool.execute(TABLE).await?;
        Ok(baseline)
    }

    /// The database `name` a run with `--keep` left, as it is.
    pub async fn open(admin_url: &str, name: &str, connections: u32) -> anyhow::Result<Self> {
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options(admin_url)?)
            .await?;
        let pool = PgPoolOptions::new()
            .max_connections(connections)
            .connect_with(options(admin_url)?.database(name))
            .await?;
        Ok(Self {
            admin,
            name: name.to_owned(),
            pool,
        })
    }

    pub async fn copy(&self, batch: &[Synthetic]) -> anyhow::Result<()> {
        let mut data = String::with_capacity(batch.len() * 800);
        for s in batch {
            let b = &s.baseline;
            data.push_str(&s.id.to_string());
            data.push('\t');
            data.push_str(s.kind.as_str());
            data.push('\t');
            copy_text(&mut data, &b.name);
            data.push('\t');
            copy_text(&mut data, &b.body);
            data.push('\t');
            copy_array(&mut data, &b.themes);
            data.push('\t');
            data.push_str(if b.everywhere { "t" } else { "f" });
            for values in [
                &b.cover_regions,
                &b.cover_departements,
                &b.cover_communes,
                &b.departements,
            ] {
                data.push('\t');
                copy_array(&mut data, values);
            }
            match b.point {
                Some((lat, lon)) => data.push_str(&format!("\t{lat}\t{lon}")),
                None => data.push_str("\t\\N\t\\N"),
            }
            data.push('\t');
            data.push_str(&s.verified_at.to_rfc3339());
            data.push('\n');
        }
        let mut copy = self
            .pool
            .copy_in_raw(
                "COPY listing (id, kind, name, body, themes, everywhere, cover_regions, \
                 cover_departements, cover_communes, departements, lat, lon, verified_at) FROM STDIN",
            )
            .await?;
        copy.send(data.as_bytes()).await?;
        copy.finish().await?;
        Ok(())
    }

    pub async fn build_indexes(&self) -> anyhow::Result<()> {
        for statement in INDEXES {
            self.pool.execute(*statement).await?;
        }
        Ok(())
    }

    /// The ids of the first result page, best first, with the number of matches.
    pub async fn search(&self, query: &BenchQuery) -> anyhow::Result<(Vec<Uuid>, i64)> {
        let rows: Vec<(Uuid, i64)> = match query.category {
            Category::Words | Category::Typos => {
                sqlx::query_as(
                    "SELECT id, count(*) OVER () FROM listing, plainto_tsquery('french', $1) query \
                     WHERE tsv @@ query ORDER BY ts_rank(tsv, query) DESC, id LIMIT $2",
                )
                .bind(query.q.as_deref().unwrap_or_default())
                .bind(PAGE as i64)
                .fetch_all(&self.pool)
                .await?
            }
            Category::WordsThemeDepartement => {
                sqlx::query_as(
                    "SELECT id, count(*) OVER () FROM listing, plainto_tsquery('french', $1) query \
                     WHERE tsv @@ query AND themes @> ARRAY[$2] \
                     AND (everywhere OR departements @> ARRAY[$3]) \
                     ORDER BY ts_rank(tsv, query) DESC, id LIMIT $4",
                )
                .bind(query.q.as_deref().unwrap_or_default())
                .bind(query.theme.as_deref().unwrap_or_default())
                .bind(query.departement.as_deref().unwrap_or_default())
                .bind(PAGE as i64)
                .fetch_all(&self.pool)
                .await?
            }
            Category::AroundMe => {
                let (lat, lon) = query.point.unwrap_or_default();
                let b = agora_geo::BoundingBox::around(lat, lon, AROUND_KM);
                let commune = query.commune;
                let mut communes: Vec<String> = commune.iter().map(|c| c.code.to_owned()).collect();
                communes.extend(commune.and_then(|c| c.parent_code).map(str::to_owned));
                let sql = format!(
                    "SELECT id, count(*) OVER () FROM listing \
                     WHERE everywhere OR cover_regions @> ARRAY[$3] OR cover_departements @> ARRAY[$4] \
                     OR cover_communes && $5 \
                     OR (lat BETWEEN $6 AND $7 AND lon BETWEEN $8 AND $9 AND {DISTANCE} <= $10) \
                     ORDER BY {DISTANCE} NULLS LAST, id LIMIT $11"
                );
                sqlx::query_as(AssertSqlSafe(sql))
                    .bind(lat)
                    .bind(lon)
                    .bind(commune.map_or("", |c| c.region_code))
                    .bind(commune.map_or("", |c| c.departement_code))
                    .bind(communes)
                    .bind(b.min_lat)
                    .bind(b.max_lat)
                    .bind(b.min_lon)
                    .bind(b.max_lon)
                    .bind(AROUND_KM)
                    .bind(PAGE as i64)
                    .fetch_all(&self.pool)
                    .await?
            }
            Category::FacetOnly => {
                let theme = query.theme.as_deref().unwrap_or_default();
                let rows = sqlx::query_as(
                    "SELECT id, count(*) OVER () FROM listing WHERE themes @> ARRAY[$1] \
                     ORDER BY verified_at DESC, id LIMIT $2",
                )
                .bind(theme)
                .bind(PAGE as i64)
                .fetch_all(&self.pool)
                .await?;
                // The facet counts a result page shows, as the index returns them.
                for column in ["themes", "departements", "cover_regions"] {
                    let _: Vec<(String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
                        "SELECT v, count(*) FROM listing, unnest({column}) v \
                         WHERE themes @> ARRAY[$1] GROUP BY v ORDER BY 2 DESC"
                    )))
                    .bind(theme)
                    .fetch_all(&self.pool)
                    .await?;
                }
                rows
            }
        };
        let total = rows.first().map_or(0, |r| r.1);
        Ok((rows.into_iter().map(|r| r.0).collect(), total))
    }

    pub async fn drop_database(self) -> anyhow::Result<()> {
        self.pool.close().await;
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&self.admin)
        .await?;
        Ok(())
    }
}
