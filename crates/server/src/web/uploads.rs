//! Files handed in through a page form (multipart): each material's file is read
//! whole, its type judged from its content (PDF, JPEG or PNG, whatever its name says),
//! its size bounded; only when every file passes are they kept, content-addressed,
//! through the engine. Other form fields come back as text.

use std::collections::HashMap;

use axum::extract::Multipart;
use yichuang_domain::case::Attachment;
use yichuang_domain::case::intake::ATTACHMENT_TYPES;

use crate::state::AppState;

/// The largest file accepted for one material.
pub(crate) const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The largest form: a few materials' files and the fields.
pub(crate) const MAX_FORM_BYTES: usize = 40 * 1024 * 1024;
/// File inputs are named `file-<material id>`.
pub(crate) const FILE_PREFIX: &str = "file-";

/// One file input of a page: its field name, the material's name, its marks and
/// what was wrong with the file last sent, if anything.
pub(crate) struct FileField {
    pub input: String,
    pub name: String,
    pub tags: Vec<super::guide::Tag>,
    pub problem: Option<String>,
    /// The name of the checkbox that signs a commitment instead (告知承诺), where the
    /// guide allows one.
    pub commitment: Option<String>,
    /// A file kept in the draft for this material, described.
    pub saved: Option<String>,
    /// The commitment was ticked in the draft.
    pub committed: bool,
}

/// A file that passed the checks, not yet kept.
pub(crate) struct Upload {
    pub material: String,
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
}

/// What was wrong with one field, as a Fluent key with its material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldProblem {
    pub field: String,
    pub key: &'static str,
}

#[derive(Default)]
pub(crate) struct UploadForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<Upload>,
    pub problems: Vec<FieldProblem>,
}

impl UploadForm {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// The type of a file as its first bytes say, if it is one we accept.
fn media_type_of(bytes: &[u8]) -> Option<&'static str> {
    let kind = infer::get(bytes)?;
    ATTACHMENT_TYPES
        .iter()
        .find(|t| **t == kind.mime_type())
        .copied()
}

/// Reads the whole form. A form that cannot be read at all (cut off, not multipart,
/// over the size limit) is one problem on the field `form`.
pub(crate) async fn read(mut multipart: Multipart, materials: &[String]) -> UploadForm {
    let mut form = UploadForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                tracing::info!(error = %e, "an upload form could not be read");
                form.problems.push(FieldProblem {
                    field: "form".to_owned(),
                    key: "upload-unreadable",
                });
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let Some(material) = name.strip_prefix(FILE_PREFIX).map(str::to_owned) else {
            if let Ok(text) = field.text().await {
                form.fields.insert(name, text.chars().take(4_000).collect());
            }
            continue;
        };
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(_) => {
                form.problems.push(FieldProblem {
                    field: "form".to_owned(),
                    key: "upload-unreadable",
                });
                break;
            }
        };
        // A file input left empty still sends an empty part.
        if bytes.is_empty() {
            continue;
        }
        let problem = if !materials.contains(&material) {
            Some("upload-unknown-material")
        } else if bytes.len() > MAX_FILE_BYTES {
            Some("upload-too-big")
        } else if form.files.iter().any(|f| f.material == material) {
            Some("upload-twice")
        } else {
            None
        };
        if let Some(key) = problem {
            form.problems.push(FieldProblem { field: name, key });
            continue;
        }
        match media_type_of(&bytes) {
            Some(media_type) => form.files.push(Upload {
                material,
                bytes: bytes.to_vec(),
                media_type,
            }),
            None => form.problems.push(FieldProblem {
                field: name,
                key: "upload-wrong-type",
            }),
        }
    }
    form
}

/// Keeps every file and says what was kept, for the request that hands them in.
pub(crate) async fn keep(
    state: &AppState,
    files: Vec<Upload>,
) -> Result<Vec<Attachment>, yichuang_engine::EngineError> {
    let mut attachments = Vec::with_capacity(files.len());
    for file in files {
        let bytes = file.bytes.len() as u64;
        let sha256 = state.engine.store_file(file.bytes, file.media_type).await?;
        attachments.push(Attachment {
            material: file.material,
            sha256,
            bytes,
            media_type: file.media_type.to_owned(),
        });
    }
    Ok(attachments)
}

#[cfg(test)]
mod tests {
    use super::media_type_of;

    #[test]
    fn types_are_judged_by_content_not_by_name() {
        assert_eq!(
            media_type_of(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
            Some("application/pdf")
        );
        assert_eq!(
            media_type_of(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']),
            Some("image/jpeg")
        );
        assert_eq!(
            media_type_of(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(media_type_of(b"MZ\x90\0"), None, "an executable");
        assert_eq!(media_type_of(b"<html><script>"), None);
        assert_eq!(media_type_of(b"GIF89a"), None, "a type we do not take");
    }
}
