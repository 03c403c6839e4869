//! The OpenAPI 3.1 document, generated from the handlers' annotations, and the
//! interactive documentation (Swagger UI, vendored: works offline).

use schemars::generate::SchemaSettings;
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::bodies;
use crate::routes::{cases, identity, ops, public};

/// RFC 9457 problem details, as every error is sent.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ProblemDoc {
    /// Stable: https://yichuang.invalid/problems/<kind>
    r#type: String,
    /// In zh-CN, or English with `Accept-Language: en`.
    title: String,
    status: u16,
    detail: String,
    /// `[{"field": "applicant.id", "message": "…"}]`
    errors: Vec<FieldError>,
    /// Also in the `x-request-id` header and the logs.
    request_id: String,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct FieldError {
    field: String,
    message: String,
}

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "yichuang (一窗) API", description = "HRSS public services to a published standard: guides, search, cases."),
    paths(
        public::items, public::guide, public::search, public::deviations, public::halls, public::progress,
        cases::login, cases::submit, cases::command, cases::list, cases::one, cases::document, cases::identity_reads,
        identity::person, identity::employer,
        ops::healthz, ops::readyz, ops::metrics,
    ),
    components(schemas(ProblemDoc, FieldError, cases::SubmitInput, cases::ApplicantInput, cases::CommandInput, cases::LoginInput)),
    modifiers(&Bearer),
    tags(
        (name = "catalog", description = "Service guides as each region implements them (public)"),
        (name = "public", description = "Progress lookup for applicants (public, rate limited)"),
        (name = "cases", description = "Case handling (staff, bearer token)"),
        (name = "staff", description = "Staff sign-in"),
        (name = "people", description = "People and employers: identity numbers validated (staff)"),
        (name = "operations", description = "Health and metrics"),
    )
)]
pub struct ApiDoc;

/// The whole document, as served at `/api/openapi.json`: paths, parameters and
/// problem bodies from the handlers' annotations; response bodies from schemars, which
/// derives them from the very types the handlers serialise (OpenAPI 3.1 schemas are
/// JSON Schema 2020-12, which is what schemars writes).
pub fn document() -> Value {
    let mut document = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    bodies::add_schemas(&mut generator);
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in generator.take_definitions(true) {
            schemas.insert(name, schema);
        }
    }
    document
}
