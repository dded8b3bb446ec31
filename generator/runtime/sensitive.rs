//! Secret values (`format: password` in the API document).

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A string the API document marks as a secret (`format: password`), such as a token or a
/// password.
///
/// It never shows in `Debug` output, so it stays out of logs, traces and error messages, and
/// its memory is zeroed when it is dropped. [`SensitiveString::expose_secret`] is the one way
/// to read it.
///
/// ```
/// # use keycardai_api::SensitiveString;
/// let token = SensitiveString::from("s3cr3t");
/// assert_eq!(format!("{token:?}"), "[REDACTED]");
/// assert_eq!(token.expose_secret(), "s3cr3t");
/// ```
#[derive(Clone)]
pub struct SensitiveString(SecretString);

impl SensitiveString {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The secret value. Take care where it goes.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for SensitiveString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl PartialEq for SensitiveString {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl Eq for SensitiveString {}

impl From<String> for SensitiveString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SensitiveString {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl Serialize for SensitiveString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> Deserialize<'de> for SensitiveString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}
