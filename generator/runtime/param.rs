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

display_params!(bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, uuid::Uuid, serde_json::Value);

/// A parameter declared with `content: application/json`, or one with no simpler form.
#[allow(dead_code)]
pub(crate) fn to_json<V: serde::Serialize + ?Sized>(value: &V) -> String {
    // Generated types and JSON values always serialize: their map keys are strings.
    serde_json::to_string(value).unwrap_or_default()
}

/// An array in `simple` style (paths, headers, cookies): the items joined by `separator`.
#[allow(dead_code)]
pub(crate) fn join<V: ToParam>(values: &[V], separator: char) -> String {
    values.iter().map(ToParam::to_param).collect::<Vec<_>>().join(&separator.to_string())
}
