//! How values become text in paths, query strings and headers.

/// A value that can be sent as a path segment, query parameter or header.
///
/// Dates and times use RFC 3339, as OpenAPI's `date` and `date-time` formats require.
pub trait ToParam {
    /// The value as text, before any percent-encoding.
    fn to_param(&self) -> String;
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

impl ToParam for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }
}

impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ToParam for crate::SensitiveString {
    fn to_param(&self) -> String {
        self.expose_secret().to_owned()
    }
}

impl ToParam for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ToParam for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

macro_rules! display_params {
    ($($ty:ty),*) => {
        $(impl ToParam for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}

display_params!(bool, i32, i64, f32, f64, uuid::Uuid, serde_json::Value);
