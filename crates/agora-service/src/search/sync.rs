//! The index kept in step with the database: documents built from the public view of
//! each published listing, the change log followed, the index rebuilt or reconciled.

use super::*;
use crate::shutdown::StopSignal;

fn labels(ctx: &Context, kind: VocabularyKind, slugs: &[String]) -> Vec<String> {
    slugs
        .iter()
        .filter_map(|s| ctx.vocab.label(kind, s).map(str::to_owned))
        .collect()
}

/// The index document of a listing, from its public view.
fn listing_doc(ctx: &Context, view: &AnyListingView) -> ListingDoc {
    let points = &ctx.geography.points;
    let place = |commune: &str, lat: Option<f64>, lon: Option<f64>| match (lat, lon) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => points.point(commune),
    };
    let mut doc = ListingDoc {
        id: view.id,
        kind: view.kind,
        name: view.content.name().to_owned(),
        text: Vec::new(),
        keywords: view.structure.iter().map(|s| s.name.clone()).collect(),
        themes: Vec::new(),
        cancer_types: Vec::new(),
        audiences: Vec::new(),
        stages: Vec::new(),
        modes: Vec::new(),
        skills: Vec::new(),
        free: None,
        labelled: view.labelled,
        format: None,
        open_to_help: view.kind == ListingKind::Project && view.status == ListingStatus::Published,
        coverage: view.content.coverage().cloned(),
        communes: Vec::new(),
        locations: Vec::new(),
        freshness: view.freshness,
        updated_at: view.updated_at,
        card: serde_json::Value::Null,
    };
    let summary = match &view.content {
        ListingContent::Structure(c) => {
            doc.text
                .extend(c.summary.iter().chain(&c.description).cloned());
            doc.keywords.extend(
                ctx.vocab
                    .label(VocabularyKind::StructureKind, &c.structure_kind)
                    .map(str::to_owned),
            );
            if let Some(a) = &c.address {
                doc.communes.push(a.commune_code.clone());
                doc.locations.extend(place(&a.commune_code, a.lat, a.lon));
            }
            c.summary.clone()
        }
        ListingContent::Service(c) => {
            doc.text.push(c.summary.clone());
            doc.text.extend(
                c.description
                    .iter()
                    .chain(&c.cost_details)
                    .chain(&c.opening_hours)
                    .cloned(),
            );
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Theme, &c.themes));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::CancerType, &c.cancer_types));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Audience, &c.audiences));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Stage, &c.stages));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Mode, &c.modes));
            doc.themes = c.themes.clone();
            // A service that names no cancer serves them all: it is found, and counted, under
            // each of them.
            doc.cancer_types = if c.cancer_types.is_empty() {
                ctx.vocab
                    .of_kind(VocabularyKind::CancerType)
                    .map(|t| t.slug.clone())
                    .collect()
            } else {
                c.cancer_types.clone()
            };
            doc.audiences = c.audiences.clone();
            doc.stages = c.stages.clone();
            doc.modes = c.modes.clone();
            doc.free = Some(c.cost == agora_domain::content::Cost::Free);
            for l in &c.locations {
                doc.communes.push(l.address.commune_code.clone());
                doc.locations
                    .extend(place(&l.address.commune_code, l.address.lat, l.address.lon));
            }
            Some(c.summary.clone())
        }
        ListingContent::Project(c) => {
            doc.text.push(c.summary.clone());
            doc.text
                .extend(c.need.iter().chain(&c.description).cloned());
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Theme, &c.themes));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Skill, &c.skills));
            doc.themes = c.themes.clone();
            doc.skills = c.skills.clone();
            doc.format = Some(
                match c.project_kind {
                    agora_domain::content::ProjectKind::LongProject => "long_project",
                    agora_domain::content::ProjectKind::MiniMission => "mini_mission",
                }
                .to_owned(),
            );
            Some(c.summary.clone())
        }
    };
    let card = SearchCard {
        kind: view.kind,
        id: view.id,
        name: doc.name.clone(),
        summary,
        themes: doc.themes.clone(),
        coverage: doc.coverage.clone(),
        structure: view.structure.clone(),
        status: view.status,
        freshness: doc.freshness,
        labelled: doc.labelled,
        verified_at: view.verified_at,
        updated_at: view.updated_at,
    };
    doc.card = serde_json::to_value(card).unwrap_or_default();
    doc
}

/// The index documents of public listings among `subjects`, and the ids to remove.
async fn documents(
    ctx: &Context,
    subjects: &BTreeSet<(ListingKind, Uuid)>,
) -> Result<(Vec<ListingDoc>, Vec<Uuid>)> {
    let mut docs = Vec::new();
    let mut gone = Vec::new();
    for kind in ListingKind::ALL {
        let ids: Vec<Uuid> = subjects
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| *id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let records = listings::by_ids(&ctx.db, kind, ids.clone()).await?;
        let public: Vec<_> = records.into_iter().filter(|r| r.is_listed()).collect();
        gone.extend(ids.iter().filter(|id| !public.iter().any(|r| r.id == **id)));
        docs.extend(documents_of(ctx, public).await?);
    }
    Ok((docs, gone))
}

/// The index documents of listings known to be public.
async fn documents_of(ctx: &Context, public: Vec<ListingRecord>) -> Result<Vec<ListingDoc>> {
    let views = listing_views(
        &ctx.db,
        public.into_iter().map(|r| (r, Access::Public)).collect(),
    )
    .await?;
    Ok(views.iter().map(|v| listing_doc(ctx, v)).collect())
}

async fn apply(
    index: &Arc<SearchIndex>,
    docs: Vec<ListingDoc>,
    gone: Vec<Uuid>,
    state: IndexState,
) -> Result<()> {
    let index = index.clone();
    blocking(move || {
        index.delete(&gone);
        index.upsert(&docs)?;
        index.commit(&state)
    })
    .await
}

fn state_of(index: &Arc<SearchIndex>) -> IndexState {
    index.state().unwrap_or_default()
}

/// Applies the change-log entries the index has not seen yet; returns how many.
pub async fn catch_up(ctx: &Context, index: &Arc<SearchIndex>) -> Result<usize> {
    let mut applied = 0;
    loop {
        let from = state_of(index).seq;
        let batch = changes::since(&ctx.db, from, BATCH).await?;
        let Some(last) = batch.last().map(|c| c.seq) else {
            return Ok(applied);
        };
        let mut subjects = BTreeSet::new();
        for change in &batch {
            let Some(kind) = change.subject_type.listing_kind() else {
                continue;
            };
            subjects.insert((kind, change.subject_id));
            // Services and projects show their structure's name.
            if kind == ListingKind::Structure {
                for child in [ListingKind::Service, ListingKind::Project] {
                    for r in listings::of_structure(&ctx.db, child, change.subject_id).await? {
                        subjects.insert((child, r.id));
                    }
                }
            }
        }
        let (docs, gone) = documents(ctx, &subjects).await?;
        apply(
            index,
            docs,
            gone,
            IndexState {
                seq: last,
                geography: ctx.geography.version.clone(),
                format: INDEX_FORMAT,
            },
        )
        .await?;
        applied += batch.len();
    }
}

/// Rebuilds the index from the database; `progress(done, total)` after each batch.
pub async fn rebuild(
    ctx: &Context,
    index: &Arc<SearchIndex>,
    progress: impl Fn(u64, u64),
) -> Result<u64> {
    // Changes after this point are applied again by the next catch-up: applying is idempotent.
    let seq = changes::last_seq(&ctx.db).await?;
    let mut total = 0;
    for kind in ListingKind::ALL {
        total += listings::count_public(&ctx.db, kind).await?;
    }
    let idx = index.clone();
    blocking(move || idx.clear()).await?;
    let mut done = 0;
    progress(0, total);
    // A batch is indexed while the next one is read from the database.
    let mut indexing: Option<tokio::task::JoinHandle<Result<()>>> = None;
    for kind in ListingKind::ALL {
        let mut after = None;
        loop {
            let rows = listings::list_public(&ctx.db, kind, after, BATCH).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            after = Some(last);
            let n = rows.len() as u64;
            let docs = documents_of(ctx, rows).await?;
            if let Some(previous) = indexing.take() {
                joined(previous).await?;
            }
            let idx = index.clone();
            indexing = Some(tokio::spawn(blocking(move || idx.add(&docs))));
            done += n;
            progress(done, total);
        }
    }
    if let Some(last) = indexing {
        joined(last).await?;
    }
    let idx = index.clone();
    let state = IndexState {
        seq,
        geography: ctx.geography.version.clone(),
        format: INDEX_FORMAT,
    };
    blocking(move || {
        idx.commit(&state)?;
        idx.compact()
    })
    .await?;
    Ok(done)
}

/// Opens this instance's index in `dir`: rebuilt when missing, unreadable, built with
/// other commune centroids or documents of another format; otherwise brought up to date
/// from the change log.
pub async fn open(ctx: &Context, dir: PathBuf) -> Result<Arc<SearchIndex>> {
    let (index, opened) = blocking(move || SearchIndex::open_or_create(&dir)).await?;
    index.set_points(ctx.geography.points.clone());
    let index = Arc::new(index);
    let state = index.state();
    let outdated = state
        .as_ref()
        .is_none_or(|s| s.geography != ctx.geography.version || s.format != INDEX_FORMAT);
    if opened == Opened::Created || outdated {
        let n = rebuild(ctx, &index, |_, _| {}).await?;
        tracing::info!(listings = n, "search index rebuilt");
    } else {
        let n = catch_up(ctx, &index).await?;
        let (added, removed) = reconcile(ctx, &index).await?;
        tracing::info!(changes = n, added, removed, "search index up to date");
    }
    Ok(index)
}

/// Makes the index hold exactly the public listings of the database: adds those it
/// lacks, removes those it should not have. Run at start and after the index failed to
/// write (a full disk): what a failed write lost is found again. Returns (added, removed).
pub async fn reconcile(ctx: &Context, index: &Arc<SearchIndex>) -> Result<(usize, usize)> {
    let idx = index.clone();
    let in_index = blocking(move || idx.ids()).await?;
    let mut in_db = std::collections::HashSet::with_capacity(in_index.len());
    let mut missing = Vec::new();
    for kind in ListingKind::ALL {
        let mut after = None;
        loop {
            let ids = listings::public_ids(&ctx.db, kind, after, 10_000).await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            after = Some(last);
            for id in ids {
                if !in_index.contains(&id) {
                    missing.push((kind, id));
                }
                in_db.insert(id);
            }
        }
    }
    let extra: Vec<Uuid> = in_index.difference(&in_db).copied().collect();
    if missing.is_empty() && extra.is_empty() {
        return Ok((0, 0));
    }
    tracing::warn!(
        missing = missing.len(),
        extra = extra.len(),
        "search index out of step with the database; reconciled"
    );
    let mut added = 0;
    for chunk in missing.chunks(BATCH as usize) {
        let subjects: BTreeSet<(ListingKind, Uuid)> = chunk.iter().copied().collect();
        let (docs, gone) = documents(ctx, &subjects).await?;
        added += docs.len();
        apply(index, docs, gone, state_of(index)).await?;
    }
    let removed = extra.len();
    apply(index, Vec::new(), extra, state_of(index)).await?;
    Ok((added, removed))
}

/// Keeps the index in step with the change log until `stop` is raised; then applies what
/// the change log holds at that moment (so that a write acknowledged before the server
/// was asked to stop is searchable) and returns. Each batch is committed as it is
/// applied: nothing is left unwritten.
pub async fn follow(ctx: Context, index: Arc<SearchIndex>, stop: StopSignal) {
    let mut failed = false;
    loop {
        let stopping = stop.is_raised();
        match catch_up(&ctx, &index).await {
            Err(e) => {
                tracing::warn!(error = %e, "search index not updated; retrying");
                failed = true;
            }
            // A write that failed may have lost documents even where a later commit
            // succeeded: check everything once the index writes again.
            Ok(_) if failed => match reconcile(&ctx, &index).await {
                Ok(_) => failed = false,
                Err(e) => tracing::warn!(error = %e, "search index not reconciled; retrying"),
            },
            Ok(_) => {}
        }
        if stopping {
            tracing::info!(
                seq = state_of(&index).seq,
                "search index caught up and committed; follower stopped"
            );
            return;
        }
        tokio::select! {
            () = ctx.changed.notified() => {}
            () = tokio::time::sleep(POLL) => {}
            () = stop.raised() => {}
        }
    }
}
