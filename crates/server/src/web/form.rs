//! A posted form kept as its pairs, for forms whose fields repeat (documents handed in)
//! or are named by data (one choice per missing document).

pub(crate) struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    /// The first value of a field, trimmed; empty if absent.
    pub fn field(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// Every value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The fields whose names start with `prefix`, with the prefix taken off.
    pub fn prefixed<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.0
            .iter()
            .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
    }
}

/// A staff member's form post: who sent it (signed in, with the session's CSRF token
/// matching the form's), the form, and the session's token for the page drawn next; or
/// the answer to give instead (sign in first, or refused).
pub(crate) async fn staff_post(
    state: &crate::state::AppState,
    ui: &super::Ui,
    headers: &axum::http::HeaderMap,
    pairs: Vec<(String, String)>,
) -> Result<(yichuang_domain::case::Staff, String, Pairs), axum::response::Response> {
    use axum::response::IntoResponse;
    let Some((staff, csrf, _)) = super::staff::signed_in(state, headers).await else {
        return Err(axum::response::Redirect::to("/staff/login").into_response());
    };
    let form = Pairs(pairs);
    if form.field("csrf") != csrf {
        return Err(super::staff::refused(
            ui.clone(),
            axum::http::StatusCode::FORBIDDEN,
            "staff-csrf",
        ));
    }
    Ok((staff, csrf, form))
}
