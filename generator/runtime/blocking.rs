//! Calls from code that is not async (the `blocking` feature). The async client runs on Tokio
//! (reqwest does); a blocking call is the same call, with the same retries, time limits, token
//! refresh and redaction, driven to its end on a runtime of this crate's own.
#![cfg(feature = "blocking")]

use std::sync::OnceLock;

use crate::call::{Call, Response};
use crate::error::Error;

impl<T: Send + 'static> Call<T> {
    /// Sends the call and waits for the decoded body, from code that is not async.
    ///
    /// From inside an async runtime, `.await` the call instead: waiting there would block one of
    /// the runtime's threads, so it is refused with [`Error::Config`].
    pub fn send_blocking(self) -> Result<T, Error> {
        self.send_with_response_blocking().map(Response::into_value)
    }

    /// [`Call::send_with_response`], from code that is not async.
    pub fn send_with_response_blocking(self) -> Result<Response<T>, Error> {
        block_on(self.send_with_response())?
    }
}

/// Runs `future` to its end on the crate's runtime; refused inside an async runtime, where it
/// would block one of its threads.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Config("a blocking call was made inside an async runtime; `.await` the call there".into()));
    }
    Ok(runtime()?.block_on(future))
}

/// The items of a stream (events, or the items of a paginated list) one by one, from code that
/// is not async. After an error it cannot get past (such as being used inside an async
/// runtime) it gives that error once, then ends.
pub struct BlockingIter<S> {
    stream: Option<S>,
}

impl<S> BlockingIter<S> {
    #[allow(dead_code)] // in a crate without streams
    pub(crate) fn new(stream: S) -> Self {
        Self { stream: Some(stream) }
    }
}

/// A stream of the async client whose next item can be awaited (implemented by the crate's
/// streams; not meant to be implemented elsewhere).
#[allow(dead_code)] // in a crate without streams
pub trait NextItem {
    type Item;
    fn next_item(&mut self) -> impl std::future::Future<Output = Option<Result<Self::Item, Error>>>;
}

impl<S: NextItem> Iterator for BlockingIter<S> {
    type Item = Result<S::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = self.stream.as_mut()?;
        match block_on(stream.next_item()) {
            Ok(item) => item,
            Err(error) => {
                self.stream = None;
                Some(Err(error))
            }
        }
    }
}

impl<S> std::fmt::Debug for BlockingIter<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingIter").field("ended", &self.stream.is_none()).finish()
    }
}

/// One runtime for every blocking call of the process, made on the first: its worker thread
/// keeps the connections of the pool and the token cache's timers alive between calls.
fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("api-client-blocking")
            .enable_all()
            .build()
            .map_err(|err| format!("could not start the runtime for blocking calls: {err}"))
    });
    runtime.as_ref().map_err(|message| Error::Config(message.clone()))
}
