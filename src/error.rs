//! The one error type of the service and its mapping to GraphQL errors.

use async_graphql::ErrorExtensions;

/// Everything that can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No credentials, or credentials that are not valid.
    #[error("authentication required")]
    Unauthenticated,
    /// The caller may read the resource but not do this to it.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The resource does not exist, or the caller may not know that it does.
    #[error("{0} not found")]
    NotFound(String),
    /// Input broke a rule: the field and the rule.
    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },
    /// The change clashes with the stored state (a stale version, a duplicate key).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Anything else; the cause is logged, never shown.
    #[error("internal error")]
    Internal(#[source] Cause),
}

/// The hidden cause of an internal error.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn internal(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(cause))
    }

    /// The machine-readable code sent as `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::InvalidInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::internal(err)
    }
}

/// The one mapping to GraphQL errors: the message, `extensions.code`, and for invalid input
/// `extensions.field`. Internal causes are logged here and replaced by a generic message.
///
/// `async_graphql::Error` converts from anything `Display` (so `?` on an `AppError` would drop
/// the code); resolvers call `.extend()`, or `?` on an [`AppResult`] through [`GqlResult::gql`].
impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        if let AppError::Internal(cause) = self {
            tracing::error!(error = %cause, "internal error");
        }
        let code = self.code();
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", code);
            if let AppError::InvalidInput { field, .. } = self {
                ext.set("field", field.as_str());
            }
        })
    }
}

/// Turns a service result into a resolver result, keeping the error code.
pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for AppResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
    }
}

/// A database failure in a resolver is an internal error, logged and not shown.
impl<T> GqlResult<T> for Result<T, sea_orm::DbErr> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(AppError::from).gql()
    }
}

pub type AppResult<T> = Result<T, AppError>;
