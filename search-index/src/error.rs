#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A request the index will not run; `field` names the parameter.
    #[error("{field}: {detail}")]
    Invalid { field: &'static str, detail: String },
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Other(String),
}

impl SearchError {
    pub fn invalid(field: &'static str, detail: &str) -> Self {
        Self::Invalid {
            field,
            detail: detail.to_owned(),
        }
    }
}
