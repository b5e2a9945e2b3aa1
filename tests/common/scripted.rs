//! A scripted HTTP server for testing clients against misbehaviour: it answers the token
//! endpoint properly and every other request as a script says (an answer, a rate limit, an
//! endless body, silence).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures::StreamExt;

/// What the scripted server does with the n-th API request (0-based).
#[derive(Clone)]
pub enum Act {
    Json(StatusCode, &'static str),
    /// Any status and body, owned.
    Owned(StatusCode, String),
    /// 429 with this `Retry-After` (None: without one).
    Throttle(Option<&'static str>),
    /// Chunked data, as fast as it can, forever.
    Endless,
    /// A 200 whose headers never come.
    Stall,
    /// Headers and a few bytes, then silence.
    StopMidway,
}

pub type Script = Arc<dyn Fn(usize) -> Act + Send + Sync>;

/// A server answering the token endpoint properly (without an `api_domain`, so the client keeps
/// talking to it) and every other request as `script` says. Returns its URL and the count of
/// API requests it saw.
pub async fn scripted(script: Script) -> (String, Arc<AtomicUsize>) {
    scripted_with_token(
        r#"{"access_token":"1000.t","refresh_token":"1000.r","expires_in":3600,"token_type":"Bearer"}"#
            .to_string(),
        script,
    )
    .await
}

/// `scripted`, with the token endpoint answering `token` (HTTP 200, as Zoho's accounts server
/// answers errors too).
pub async fn scripted_with_token(token: String, script: Script) -> (String, Arc<AtomicUsize>) {
    scripted_both(
        Arc::new(move |_| Act::Owned(StatusCode::OK, token.clone())),
        script,
    )
    .await
}

/// Both the token endpoint (its n-th request) and the API scripted.
pub async fn scripted_both(token: Script, script: Script) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let token_hits = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route(
            "/oauth/v2/token",
            post(move || {
                let act = token(token_hits.fetch_add(1, Ordering::SeqCst));
                async move { answer(act).await }
            }),
        )
        .fallback(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let act = script(n);
            async move { answer(act).await }
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, hits)
}

async fn answer(act: Act) -> Response {
    match act {
        Act::Json(status, body) => {
            (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
        Act::Owned(status, body) => {
            (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
        Act::Throttle(after) => {
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"code":"TOO_MANY_REQUESTS","details":{},"message":"slow down","status":"error"}"#,
            )
                .into_response();
            if let Some(a) = after {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static(a));
            }
            r
        }
        Act::Endless => {
            let chunk = Bytes::from(vec![b' '; 64 << 10]);
            let forever =
                futures::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
            Response::new(Body::from_stream(forever))
        }
        Act::Stall => {
            futures::future::pending::<()>().await;
            StatusCode::OK.into_response()
        }
        Act::StopMidway => {
            let start = futures::stream::once(async {
                Ok::<_, std::io::Error>(Bytes::from_static(b"{\"modules\": ["))
            });
            Response::new(Body::from_stream(start.chain(futures::stream::pending())))
        }
    }
}
