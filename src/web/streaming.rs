//! Responses written a chunk at a time by blocking database work (the CSV
//! export), so a download of 100,000 rows holds a few chunks in memory, not
//! the whole file.
//!
//! The producer runs on the blocking pool with one read-only pooled
//! connection (a download never holds up the request path's writer) and
//! hands chunks through a small bounded channel: when the client reads slower
//! than the database answers, the producer waits. A client that stops reading
//! for [`STALL_LIMIT`] or goes away ends the producer and frees its
//! connection. At most [`AT_ONCE`] streams run per instance, since each holds a
//! connection for as long as the download lasts.

use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt, stream};
use tokio::runtime::Handle;
use tokio::sync::mpsc;

use crate::db::DbConnection;
use crate::error::AppError;
use crate::state::AppState;

/// Streams running at once on one instance.
pub const AT_ONCE: usize = 2;
/// Chunks waiting for the client at most.
const BUFFERED_CHUNKS: usize = 4;
/// How long a producer waits for a client that does not read.
pub const STALL_LIMIT: Duration = Duration::from_secs(60);

/// Why a producer stopped early.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The client went away or stopped reading: nobody wants the rest.
    #[error("the client stopped reading")]
    ReaderGone,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// The producer's end of a response.
pub struct ChunkSender {
    tx: mpsc::Sender<Result<Bytes, AppError>>,
    runtime: Handle,
}

impl ChunkSender {
    /// Hands one chunk to the response, waiting while the client is behind.
    pub fn send(&self, chunk: impl Into<Bytes>) -> Result<(), StreamError> {
        if self.deliver(Ok(chunk.into())) { Ok(()) } else { Err(StreamError::ReaderGone) }
    }

    /// False when the client went away or did not read for [`STALL_LIMIT`].
    fn deliver(&self, item: Result<Bytes, AppError>) -> bool {
        matches!(self.runtime.block_on(tokio::time::timeout(STALL_LIMIT, self.tx.send(item))), Ok(Ok(())))
    }
}

/// Starts `produce` on the blocking pool with a pooled connection and returns
/// the response body once its first chunk exists, so that a failure before
/// the first byte is still an error page rather than a broken download.
pub async fn from_database<F>(
    state: &AppState,
    produce: F,
) -> Result<impl Stream<Item = Result<Bytes, std::io::Error>> + 'static, AppError>
where
    F: FnOnce(&mut DbConnection, &ChunkSender) -> Result<(), StreamError> + Send + 'static,
{
    let permit = state.streams.clone().try_acquire_owned().map_err(|_| AppError::TooManyRequests {
        message: crate::i18n::t("download-busy"),
        retry_after_secs: 5,
    })?;
    let (tx, mut rx) = mpsc::channel(BUFFERED_CHUNKS);
    let pool = state.read_pool.clone();
    let sender = ChunkSender { tx, runtime: Handle::current() };
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let failed = match pool.get() {
            Err(e) => Some(AppError::DatabaseUnavailable(e.to_string())),
            Ok(mut conn) => match produce(&mut conn, &sender) {
                Ok(()) | Err(StreamError::ReaderGone) => None,
                Err(StreamError::Db(e)) => Some(AppError::from(e)),
            },
        };
        if let Some(error) = failed {
            sender.deliver(Err(error));
        }
    });
    let first = rx.recv().await.unwrap_or_else(|| Ok(Bytes::new()))?;
    let rest = stream::poll_fn(move |cx| rx.poll_recv(cx)).map(|chunk| {
        chunk.map_err(|error| {
            // Mid-download the status line is sent: all that is left is to
            // cut the response short, so the browser reports a failed download.
            tracing::error!(%error, "a streamed response failed");
            std::io::Error::other(error.to_string())
        })
    });
    Ok(stream::once(std::future::ready(Ok(first))).chain(rest))
}
