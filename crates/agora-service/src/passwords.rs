//! Password hashing with argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane).
//!
//! Hashing is deliberately expensive, so a crowd of sign-ins must not be able to make the
//! server do an unbounded amount of it: the work runs on a fixed pool of threads (one per
//! core by default), each reusing one memory buffer, fed by a short bounded queue. When
//! the queue is full the request is refused at once ([`ServiceError::Overloaded`], 503
//! with `Retry-After`) instead of waiting, so memory stays at `workers × 19 MiB` and the
//! async executor keeps answering everything else.

use crate::{Result, ServiceError};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// (memory KiB, iterations, parallelism).
pub const PASSWORD_PARAMS: (u32, u32, u32) = (19 * 1024, 2, 1);

/// A stored hash asking for more memory than this is refused rather than computed: it
/// cannot be one of ours, and would let a bad row cost the server a gigabyte.
const MAX_MEMORY_KIB: u32 = 256 * 1024;

/// What a client is told to wait before trying again when the pool is full.
pub const RETRY_AFTER_SECS: u64 = 2;

/// Sizes of the pool, from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSize {
    /// Threads hashing at once.
    pub workers: usize,
    /// Requests waiting for a thread; beyond them, 503.
    pub queue: usize,
}

impl Default for PoolSize {
    fn default() -> Self {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            workers,
            queue: 4 * workers,
        }
    }
}

enum Work {
    Hash(String),
    Verify { password: String, hash: String },
}

enum Done {
    Hashed(Result<String>),
    Verified(bool),
}

struct Job {
    work: Work,
    reply: oneshot::Sender<Done>,
}

/// The fixed pool of hashing threads and its bounded queue.
pub struct PasswordPool {
    jobs: SyncSender<Job>,
    size: PoolSize,
    /// Computed once: the hash "unknown account" is checked against, so that it costs
    /// what a wrong password costs.
    decoy: tokio::sync::OnceCell<String>,
}

impl std::fmt::Debug for PasswordPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordPool")
            .field("size", &self.size)
            .finish()
    }
}

fn hasher(params: Params, algorithm: Algorithm, version: Version) -> Argon2<'static> {
    Argon2::new(algorithm, version, params)
}

fn default_params() -> Result<Params> {
    let (m, t, p) = PASSWORD_PARAMS;
    Params::new(m, t, p, None).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// One worker's reusable memory: grown to the largest cost it met, never given back.
struct Memory(Vec<Block>);

impl Memory {
    fn blocks(&mut self, params: &Params) -> &mut [Block] {
        let n = params.block_count();
        if self.0.len() < n {
            self.0.resize(n, Block::default());
        }
        &mut self.0[..n]
    }
}

fn hash_with(memory: &mut Memory, password: &str) -> Result<String> {
    let internal = |e: String| ServiceError::Internal(e);
    let params = default_params()?;
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| internal(e.to_string()))?;
    let argon = hasher(params.clone(), Algorithm::Argon2id, Version::V0x13);
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt_raw,
                out,
                memory.blocks(&params),
            )
            .map_err(|_| argon2::password_hash::Error::Crypto)
    })
    .map_err(|e| internal(e.to_string()))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| internal(e.to_string()))?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

fn verify_with(memory: &mut Memory, password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(expected), Some(salt)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.hash,
        parsed.salt,
    ) else {
        return false;
    };
    let version = parsed
        .version
        .map_or(Ok(Version::V0x13), Version::try_from)
        .unwrap_or(Version::V0x13);
    if params.m_cost() > MAX_MEMORY_KIB {
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon = hasher(params.clone(), algorithm, version);
    let computed = Output::init_with(expected.len(), |out| {
        argon
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt_raw,
                out,
                memory.blocks(&params),
            )
            .map_err(|_| argon2::password_hash::Error::Crypto)
    });
    // `Output`'s equality is constant-time.
    computed.is_ok_and(|c| c == expected)
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    let mut memory = Memory(Vec::new());
    loop {
        // The lock is held only while waiting for the next job, never while hashing.
        let job = match receiver.lock() {
            Ok(r) => r.recv(),
            Err(_) => return,
        };
        let Ok(Job { work, reply }) = job else {
            return; // the pool was dropped
        };
        if reply.is_closed() {
            continue; // the client went away while it waited
        }
        let done = match work {
            Work::Hash(password) => Done::Hashed(hash_with(&mut memory, &password)),
            Work::Verify { password, hash } => {
                Done::Verified(verify_with(&mut memory, &password, &hash))
            }
        };
        let _ = reply.send(done);
    }
}

impl PasswordPool {
    /// Starts the pool's threads; they stop when the pool is dropped.
    pub fn start(size: PoolSize) -> std::io::Result<Self> {
        let size = PoolSize {
            workers: size.workers.max(1),
            queue: size.queue,
        };
        let (jobs, receiver) = std::sync::mpsc::sync_channel(size.queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..size.workers {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("agora-password-{n}"))
                .spawn(move || work(&receiver))?;
        }
        Ok(Self {
            jobs,
            size,
            decoy: tokio::sync::OnceCell::new(),
        })
    }

    pub fn size(&self) -> PoolSize {
        self.size
    }

    async fn submit(&self, work: Work) -> Result<Done> {
        let (reply, answer) = oneshot::channel();
        match self.jobs.try_send(Job { work, reply }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                tracing::warn!("password pool full; request refused");
                return Err(ServiceError::Overloaded {
                    retry_after_secs: RETRY_AFTER_SECS,
                });
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(ServiceError::Internal("the password pool stopped".into()));
            }
        }
        answer
            .await
            .map_err(|_| ServiceError::Internal("a password worker stopped".into()))
    }

    /// An argon2id hash of `password`, in PHC string form.
    pub async fn hash(&self, password: String) -> Result<String> {
        match self.submit(Work::Hash(password)).await? {
            Done::Hashed(h) => h,
            Done::Verified(_) => Err(ServiceError::Internal("a hash was verified".into())),
        }
    }

    /// Whether `password` matches the stored `hash` (false for anything unreadable).
    pub async fn verify(&self, password: String, hash: String) -> Result<bool> {
        match self.submit(Work::Verify { password, hash }).await? {
            Done::Verified(ok) => Ok(ok),
            Done::Hashed(_) => Err(ServiceError::Internal("a hash was computed".into())),
        }
    }

    /// A hash to verify against when the account does not exist, so that "unknown e-mail"
    /// and "wrong password" take the same time.
    pub async fn decoy_hash(&self) -> Result<String> {
        self.decoy
            .get_or_try_init(|| self.hash("decoy password that never matches".to_owned()))
            .await
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(workers: usize, queue: usize) -> PasswordPool {
        PasswordPool::start(PoolSize { workers, queue }).unwrap()
    }

    #[tokio::test]
    async fn hashes_are_argon2id_at_the_required_cost() {
        let pool = pool(1, 2);
        let h = pool
            .hash("correct horse battery staple".into())
            .await
            .unwrap();
        let parsed = PasswordHash::new(&h).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        let params = Params::try_from(&parsed).unwrap();
        assert!(params.m_cost() >= 19 * 1024 && params.t_cost() >= 2 && params.p_cost() == 1);
        assert!(
            pool.verify("correct horse battery staple".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(!pool.verify("wrong".into(), h).await.unwrap());
        assert!(!pool.verify("x".into(), "not a hash".into()).await.unwrap());
    }

    #[tokio::test]
    async fn hashes_made_by_the_library_itself_verify() {
        use argon2::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        // Another cost than ours: a hash stored before a change of parameters.
        let params = Params::new(8 * 1024, 3, 1, None).unwrap();
        let h = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"an older password", &salt)
            .unwrap()
            .to_string();
        let pool = pool(1, 1);
        assert!(
            pool.verify("an older password".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(!pool.verify("an older passworD".into(), h).await.unwrap());
    }

    #[tokio::test]
    async fn a_hash_asking_for_a_gigabyte_is_refused_not_computed() {
        let h = "$argon2id$v=19$m=1048576,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$\
                 K1m1Iw2C6kXs2dLpPzIb5pM1WkVY3Q2J4l3u8z0lq0E";
        assert!(!pool(1, 1).verify("x".into(), h.into()).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn past_the_queue_requests_are_refused_at_once() {
        let pool = Arc::new(pool(1, 2));
        let hash = pool.hash("a password to check".into()).await.unwrap();
        let mut calls = Vec::new();
        for _ in 0..12 {
            let (pool, hash) = (pool.clone(), hash.clone());
            calls.push(tokio::spawn(async move {
                pool.verify("a password to check".into(), hash).await
            }));
        }
        let mut verified = 0;
        let mut refused = 0;
        for c in calls {
            match c.await.unwrap() {
                Ok(true) => verified += 1,
                Err(ServiceError::Overloaded { retry_after_secs }) => {
                    assert!(retry_after_secs >= 1);
                    refused += 1;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        // One running and two waiting at most when the twelve arrive together.
        assert!(verified >= 1, "{verified} verified");
        assert!(refused >= 1, "{refused} refused");
        assert_eq!(verified + refused, 12);
        // The pool recovers once the crowd is gone.
        assert!(
            pool.verify("a password to check".into(), hash)
                .await
                .unwrap()
        );
    }
}
