//! When to retry and how long to wait: the rules the official SDKs follow.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// The longest wait a `retry-after` header may ask for before we ignore it.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const INITIAL_BACKOFF: f64 = 0.5;
const MAX_BACKOFF: f64 = 8.0;
/// Up to this share of the backoff is taken off at random, so clients do not retry in step.
const JITTER: f64 = 0.25;

/// Whether a response with this status and these headers should be retried.
/// `x-should-retry: true|false` from the server overrides the status rule.
pub(crate) fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// How long to wait before retry number `retry` (0 for the first), given the response
/// headers of the failed attempt, if there was a response.
pub(crate) fn delay(retry: u32, headers: Option<&HeaderMap>, now: SystemTime) -> Duration {
    headers.and_then(|h| retry_after(h, now)).unwrap_or_else(|| backoff(retry, fastrand::f64()))
}

/// `min(0.5 * 2^retry, 8)` seconds, less up to 25% (`random` is in `[0, 1)`).
pub(crate) fn backoff(retry: u32, random: f64) -> Duration {
    let base = (INITIAL_BACKOFF * 2f64.powi(retry.min(16) as i32)).min(MAX_BACKOFF);
    Duration::from_secs_f64(base * (1.0 - JITTER * random))
}

/// `retry-after-ms`, then `retry-after` (seconds or an HTTP date), when `0 < wait <= 60 s`.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let wait = if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        Some(ms / 1000.0)
    } else if let Some(value) = header("retry-after") {
        match value.parse::<f64>() {
            Ok(seconds) => Some(seconds),
            Err(_) => httpdate::parse_http_date(value)
                .ok()
                .map(|at| at.duration_since(now).map_or(0.0, |d| d.as_secs_f64())),
        }
    } else {
        None
    }?;
    (wait.is_finite() && wait > 0.0 && wait <= MAX_RETRY_AFTER.as_secs_f64()).then(|| Duration::from_secs_f64(wait))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (reqwest::header::HeaderName::from_static(k), v.parse().unwrap())).collect()
    }

    #[test]
    fn retry_after_seconds_within_a_minute_is_obeyed() {
        let now = SystemTime::now();
        assert_eq!(retry_after(&headers(&[("retry-after", "20")]), now), Some(Duration::from_secs(20)));
        assert_eq!(retry_after(&headers(&[("retry-after", "61")]), now), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "-10")]), now), None);
        assert_eq!(retry_after(&headers(&[("retry-after-ms", "1500"), ("retry-after", "20")]), now), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn retry_after_http_date_counts_from_now() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let date = httpdate::fmt_http_date(now + Duration::from_secs(10));
        assert_eq!(retry_after(&headers(&[("retry-after", &date)]), now), Some(Duration::from_secs(10)));
    }

    #[test]
    fn backoff_doubles_up_to_eight_seconds_less_jitter() {
        assert_eq!(backoff(0, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(1, 0.0), Duration::from_secs(1));
        assert_eq!(backoff(5, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(0, 0.999_999), Duration::from_secs_f64(0.5 * (1.0 - 0.25 * 0.999_999)));
    }

    #[test]
    fn status_rules_and_header_override() {
        for code in [408, 409, 429, 500, 502, 503] {
            assert!(should_retry(StatusCode::from_u16(code).unwrap(), &HeaderMap::new()), "{code}");
        }
        for code in [400, 401, 403, 404, 422] {
            assert!(!should_retry(StatusCode::from_u16(code).unwrap(), &HeaderMap::new()), "{code}");
        }
        assert!(should_retry(StatusCode::BAD_REQUEST, &headers(&[("x-should-retry", "true")])));
        assert!(!should_retry(StatusCode::SERVICE_UNAVAILABLE, &headers(&[("x-should-retry", "false")])));
    }
}
