//! The spec is the contract: every response the API tests receive is checked against
//! the OpenAPI document the server itself serves. The status must be documented for
//! the route, the content type must be the documented one, and a JSON body must match
//! the documented schema, with no undocumented fields (`unevaluatedProperties: false`
//! is added to every object schema for the check).

use serde_json::{Value, json};

pub struct Contract {
    document: Value,
    components: Value,
}

impl Contract {
    pub fn new(document: Value) -> Contract {
        let mut components = document["components"].clone();
        // A schema that extends another (`$ref` beside its own properties, as an
        // internally tagged variant adds its tag) needs the other one open.
        let open = components["schemas"].clone();
        forbid_undocumented_fields(&mut components);
        components["open"] = open;
        Contract {
            document,
            components,
        }
    }

    /// Panics with a precise message when the response breaks the contract.
    pub fn check(
        &self,
        method: &str,
        url_path: &str,
        status: u16,
        content_type: &str,
        body: &Value,
    ) {
        let path = url_path.split('?').next().unwrap_or(url_path);
        let Some(template) = self.template_for(path) else {
            // The spec and its docs page are not part of the API they describe; any
            // other undocumented path must get the fallback's 404.
            if path.starts_with("/api/v1/") {
                assert_eq!(status, 404, "{method} {path}: no such documented route");
            }
            return;
        };
        let operation = &self.document["paths"][template][method.to_ascii_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {template}: method not documented (status {status})"
        );
        let response = &operation["responses"][status.to_string()];
        assert!(
            response.is_object(),
            "{method} {template}: status {status} is not documented; body: {body}"
        );
        let Some(content) = response["content"].as_object() else {
            return;
        };
        let media = content_type.split(';').next().unwrap_or("").trim();
        let documented = content.get(media).unwrap_or_else(|| {
            panic!(
                "{method} {template} {status}: content type {media:?} is not documented ({:?})",
                content.keys().collect::<Vec<_>>()
            )
        });
        if !media.ends_with("json") {
            return;
        }
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.components,
            "allOf": [documented["schema"]],
        });
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{method} {template} {status}: bad schema: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .take(5)
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {template} {status}: the body does not match the documented schema:\n{}\nbody: {}",
            errors.join("\n"),
            truncated(body)
        );
    }

    /// The documented path template that `path` is an instance of.
    fn template_for(&self, path: &str) -> Option<&str> {
        let segments: Vec<&str> = path.split('/').collect();
        self.document["paths"]
            .as_object()?
            .keys()
            .find(|template| {
                let parts: Vec<&str> = template.split('/').collect();
                parts.len() == segments.len()
                    && parts.iter().zip(&segments).all(|(t, s)| {
                        (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s
                    })
            })
            .map(String::as_str)
    }
}

/// Every object schema that lists its properties gets `unevaluatedProperties: false`,
/// so a field the server sends but the spec does not mention fails the check.
fn forbid_undocumented_fields(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("unevaluatedProperties".to_owned(), Value::Bool(false));
                if let Some(Value::String(target)) = map.get_mut("$ref") {
                    *target = target.replace("#/components/schemas/", "#/components/open/");
                }
            }
            for value in map.values_mut() {
                forbid_undocumented_fields(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(forbid_undocumented_fields),
        _ => {}
    }
}

fn truncated(body: &Value) -> String {
    let text = body.to_string();
    match text.char_indices().nth(600) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
