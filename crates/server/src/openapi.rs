//! The OpenAPI 3.1 document, generated from the handlers' annotations, and the
//! interactive documentation (Swagger UI, vendored: works offline).

use schemars::generate::SchemaSettings;
use serde_json::{Value, json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::bodies;
use crate::routes::{cases, facts, figures, identity, ops, public};

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

/// Makes each type usable as `body = T` or `request_body = T` in `#[utoipa::path]`:
/// utoipa writes only a reference to `#/components/schemas/T`, and [`add_schemas`]
/// puts there the schema that schemars derives from the type itself (schemars follows
/// every serde attribute, so the schema is what serde really writes and reads).
macro_rules! derived_by_schemars {
    ($($ty:path),* $(,)?) => {
        $(
            impl utoipa::PartialSchema for $ty {
                fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                    utoipa::openapi::schema::Object::new().into()
                }
            }
            impl utoipa::ToSchema for $ty {
                fn name() -> std::borrow::Cow<'static, str> {
                    <$ty as schemars::JsonSchema>::schema_name()
                }
            }
        )*

        /// Adds the schema of every body (and of every type it uses) to `generator`.
        fn add_schemas(generator: &mut schemars::SchemaGenerator) {
            $( generator.subschema_for::<$ty>(); )*
        }
    };
}

derived_by_schemars!(
    bodies::ItemList,
    bodies::GuideBody,
    bodies::SearchResults,
    bodies::DeviationReport,
    bodies::CoverageReport,
    bodies::HallList,
    bodies::Progress,
    bodies::PublishedRatings,
    bodies::SupervisionFigures,
    bodies::CaseAnswer,
    bodies::CaseList,
    bodies::CaseDetail,
    bodies::IdentityReadList,
    bodies::NewSession,
    bodies::PersonInfo,
    bodies::EmployerInfo,
    cases::SubmitInput,
    cases::CommandInput,
    cases::LoginInput,
    bodies::FactsImport,
);

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
        public::items, public::guide, public::search, public::deviations, public::coverage, public::halls, public::progress, public::ratings,
        cases::login, cases::logout, cases::submit, cases::command, cases::list, cases::one, cases::document, cases::identity_reads,
        identity::person, identity::employer,
        facts::push,
        figures::figures,
        ops::healthz, ops::readyz, ops::guarded_metrics,
    ),
    components(schemas(ProblemDoc, FieldError)),
    modifiers(&Bearer),
    tags(
        (name = "catalog", description = "Service guides as each region implements them (public)"),
        (name = "public", description = "Progress lookup for applicants (public, rate limited)"),
        (name = "cases", description = "Case handling (staff, bearer token)"),
        (name = "staff", description = "Staff sign-in"),
        (name = "people", description = "People and employers: identity numbers validated (staff)"),
        (name = "supervision", description = "Supervision figures and their equalization indices (staff, bearer token)"),
        (name = "facts", description = "Records pushed by the systems that hold them, for the rules (administrators)"),
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
    add_schemas(&mut generator);
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in generator.take_definitions(true) {
            schemas.insert(name, schema);
        }
    }
    document_malformed_requests(&mut document);
    document_rate_limits(&mut document);
    document
}

/// Calls `add` on the responses of every operation whose path `wanted` accepts.
fn add_responses(
    document: &mut Value,
    wanted: impl Fn(&str) -> bool,
    add: impl Fn(&mut serde_json::Map<String, Value>),
) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, operations) in paths.iter_mut() {
        if !wanted(path) {
            continue;
        }
        let responses = operations
            .as_object_mut()
            .into_iter()
            .flat_map(|ops| ops.values_mut())
            .filter_map(|op| op.get_mut("responses").and_then(Value::as_object_mut));
        for responses in responses {
            add(responses);
        }
    }
}

/// Public routes share a budget per client (see `protection.rs`); each can answer 429
/// with `Retry-After`.
fn document_rate_limits(document: &mut Value) {
    let public = |path: &str| {
        [
            "/api/v1/items",
            "/api/v1/regions/",
            "/api/v1/coverage",
            "/api/v1/progress/",
        ]
        .iter()
        .any(|prefix| path.starts_with(prefix))
    };
    add_responses(document, public, |responses| {
        responses.insert(
            "429".to_owned(),
            json!({
                "description": "Too many requests from this client (or, for progress, wrong answers for this case); wait as Retry-After says",
                "headers": { "Retry-After": { "description": "Seconds to wait", "schema": { "type": "integer", "minimum": 1 } } },
                "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/ProblemDoc" } } },
            }),
        );
    });
}

/// A query or path value of the wrong type (`?limit=x`) is refused by the framework
/// before any handler runs, as a 400 problem; every API operation can answer so.
fn document_malformed_requests(document: &mut Value) {
    add_responses(
        document,
        |path| path.starts_with("/api/"),
        |responses| {
            responses.entry("400").or_insert_with(|| {
            json!({
                "description": "Malformed request: a query or path value of the wrong type",
                "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/ProblemDoc" } } },
            })
        });
        },
    );
}
