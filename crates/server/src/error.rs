//! RFC 9457 problem+json: a stable `type`, a title and detail in the caller's language
//! (zh-CN by default, English by Accept-Language), field errors, and the request id.
//! Bad input is 4xx; internals never reach the caller.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use yichuang_domain::case::CaseError;
use yichuang_engine::EngineError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let first = accept
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

/// A problem to report; boxed inside [`ApiError`] so results stay small.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    /// Stable machine name, becomes `https://yichuang.invalid/problems/<kind>`.
    pub kind: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub detail: String,
    pub fields: Vec<(String, String)>,
    pub lang: Lang,
    pub request_id: String,
    /// Seconds to wait, for 429 and 503 (`Retry-After`).
    pub retry_after: Option<u64>,
}

/// An error answer; the problem is boxed so results stay small.
#[derive(Debug)]
pub struct ApiError(Box<Problem>);

impl ApiError {
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title_zh: &'static str,
        title_en: &'static str,
        detail: impl Into<String>,
    ) -> ApiError {
        ApiError(Box::new(Problem {
            status,
            kind,
            title_zh,
            title_en,
            detail: detail.into(),
            fields: Vec::new(),
            lang: Lang::Zh,
            request_id: String::new(),
            retry_after: None,
        }))
    }

    pub fn bad_input(field: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-input",
            "输入有误",
            "Invalid input",
            format!("{field}: {message}"),
        );
        e.0.fields.push((field.to_owned(), message));
        e
    }

    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "未找到",
            "Not found",
            what,
        )
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "需要登录",
            "Authentication required",
            "send a valid bearer token (Authorization: Bearer …)",
        )
    }

    /// A region (or the whole country) beyond the caller's reach: 403.
    pub fn outside(asked: impl std::fmt::Display, reach: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "超出辖区",
            "Outside your jurisdiction",
            format!("{asked} is outside {reach}"),
        )
    }

    /// Too many requests from this client (or for this account or case): 429.
    pub fn too_many(what: impl Into<String>, retry: crate::protection::RetryAfter) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "请求过于频繁，请稍后再试",
            "Too many requests; try again later",
            what,
        );
        e.0.retry_after = Some(retry.seconds());
        e
    }

    /// The server is at capacity for this kind of work (password checks): 503.
    pub fn busy(retry: crate::protection::RetryAfter) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "系统繁忙，请稍后再试",
            "Busy; try again shortly",
            "too many sign-ins are being checked at once",
        );
        e.0.retry_after = Some(retry.seconds());
        e
    }

    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误",
            "Internal error",
            "the error is logged with this request id",
        )
    }

    pub fn with(mut self, lang: Lang, request_id: &str) -> ApiError {
        self.0.lang = lang;
        self.0.request_id = request_id.to_owned();
        self
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> ApiError {
        let detail = e.to_string();
        match &e {
            EngineError::Case(CaseError::Conflict { .. }) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "办件已被他人更新",
                "The case changed meanwhile",
                detail,
            ),
            EngineError::Case(CaseError::NotAllowed { .. }) => ApiError::new(
                StatusCode::CONFLICT,
                "command-not-allowed",
                "当前状态不允许此操作",
                "Not allowed in this state",
                detail,
            ),
            EngineError::Case(CaseError::RoleNotAllowed { .. } | CaseError::NotTheApplicant)
            | EngineError::Forbidden(_) => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "无权办理",
                "Forbidden",
                detail,
            ),
            EngineError::Case(_) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "case-rule",
                "不符合办理规则",
                "Rejected by the case rules",
                detail,
            ),
            EngineError::Hall(h) if h.is_not_found() => ApiError::not_found(detail),
            // The code names what the hall's state did not allow (`nothing_to_call`).
            EngineError::Hall(h) => ApiError::new(
                StatusCode::CONFLICT,
                h.code(),
                "大厅当前状态不允许此操作",
                "Not allowed in the hall's present state",
                detail,
            ),
            EngineError::Appointment(a) => ApiError::new(
                StatusCode::CONFLICT,
                a.code(),
                "预约规则不允许此操作",
                "Not allowed by the appointment rules",
                detail,
            ),
            EngineError::Rating(r) => ApiError::new(
                StatusCode::CONFLICT,
                r.code(),
                "评价规则不允许此操作",
                "Not allowed by the rating rules",
                detail,
            ),
            EngineError::NothingToRate { .. } => ApiError::not_found(detail),
            EngineError::Complaint(c) => ApiError::new(
                StatusCode::CONFLICT,
                c.code(),
                "投诉办理规则不允许此操作",
                "Not allowed by the complaint rules",
                detail,
            ),
            EngineError::GrantList(l) => ApiError::new(
                StatusCode::CONFLICT,
                l.code(),
                "公示名单规则不允许此操作",
                "Not allowed by the rules of the published list",
                detail,
            ),
            EngineError::UnknownTarget { .. } => ApiError::not_found(detail),
            EngineError::WrongAggregate => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "wrong-aggregate",
                "此渠道不能发出该请求",
                "This channel cannot send that request",
                detail,
            ),
            EngineError::Guide(_)
            | EngineError::NoSuchCase { .. }
            | EngineError::NoSuchHall { .. } => ApiError::not_found(detail),
            EngineError::MissingRequestId | EngineError::RequestIdTooLong { .. } => {
                ApiError::bad_input("request_id", detail)
            }
            EngineError::RequestIdReused { .. } => {
                let mut e = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "request_id_reused",
                    "请求编号已用于其他请求",
                    "Request id already used for a different request",
                    detail.clone(),
                );
                e.0.fields.push(("request_id".to_owned(), detail));
                e
            }
            EngineError::Store(_) | EngineError::Closed => {
                tracing::error!(error = %e, "engine failure");
                ApiError::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = *self.0;
        problem.into_response()
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let title = match self.lang {
            Lang::Zh => self.title_zh,
            Lang::En => self.title_en,
        };
        let errors: Vec<_> = self
            .fields
            .iter()
            .map(|(field, message)| json!({ "field": field, "message": message }))
            .collect();
        let body = json!({
            "type": format!("https://yichuang.invalid/problems/{}", self.kind),
            "title": title,
            "status": self.status.as_u16(),
            "detail": self.detail,
            "errors": errors,
            "request_id": self.request_id,
        });
        let mut response = (self.status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}
