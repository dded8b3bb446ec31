//! Client-side checks of the constraints the API document states, so a request that the
//! server would refuse is not sent at all.

use crate::Error;

/// A value whose fields carry constraints from the API document.
pub trait Validate {
    /// Checks the value; `at` names it in the error (e.g. `body`).
    fn validate(&self, at: &str) -> Result<(), Error>;
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &str) -> Result<(), Error> {
        self.as_ref().map_or(Ok(()), |value| value.validate(at))
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, at: &str) -> Result<(), Error> {
        (**self).validate(at)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &str) -> Result<(), Error> {
        self.iter().enumerate().try_for_each(|(i, item)| item.validate(&format!("{at}[{i}]")))
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate(&self, at: &str) -> Result<(), Error> {
        self.iter().try_for_each(|(key, value)| value.validate(&format!("{at}.{key}")))
    }
}

// Which checks a crate uses depends on the constraints its API document states.

/// `minLength`/`maxLength`, counted in characters as JSON Schema counts them. `field`
/// names the value in the error, and is only built when there is one.
#[allow(dead_code)]
pub(crate) fn check_length(
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
    field: impl FnOnce() -> String,
) -> Result<(), Error> {
    let length = value.chars().count();
    if let Some(min) = min.filter(|&min| length < min) {
        return Err(Error::invalid(field(), format!("must be at least {min} characters long, not {length}")));
    }
    if let Some(max) = max.filter(|&max| length > max) {
        return Err(Error::invalid(field(), format!("must be at most {max} characters long, not {length}")));
    }
    Ok(())
}

/// The numbers a `minimum`/`maximum` applies to.
#[allow(dead_code)]
pub(crate) trait Number: Copy {
    fn as_f64(self) -> f64;
}

macro_rules! numbers {
    ($($ty:ty),*) => {
        $(impl Number for $ty {
            #[allow(clippy::cast_precision_loss)]
            fn as_f64(self) -> f64 {
                self as f64
            }
        })*
    };
}

numbers!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

/// `minimum`/`maximum` (already adjusted for the exclusive forms).
#[allow(dead_code)]
pub(crate) fn check_range(
    value: &impl Number,
    min: Option<f64>,
    max: Option<f64>,
    field: impl FnOnce() -> String,
) -> Result<(), Error> {
    let value = value.as_f64();
    if let Some(min) = min.filter(|&min| value < min) {
        return Err(Error::invalid(field(), format!("must be at least {min}, not {value}")));
    }
    if let Some(max) = max.filter(|&max| value > max) {
        return Err(Error::invalid(field(), format!("must be at most {max}, not {value}")));
    }
    Ok(())
}
