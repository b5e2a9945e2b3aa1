//! An HTTP proxy in front of a sandbox, for tests that watch or disturb the traffic: every
//! request is shown to a gate first, which can count it, hold it forever (a dead server, a
//! dropped VPN) or hold it until the test has done something else first. Token answers name the API's address, so they are rewritten to the proxy's and
//! the client keeps talking through it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

/// What the gate decides for one request.
pub enum Gate {
    Forward,
    /// Never answer.
    Stall,
    /// Forward once this is notified (something to do while a request is on its way).
    Hold(Arc<Notify>),
    /// Answer this status and JSON body in the server's place (a refusal the sandbox would
    /// not give), forwarding nothing.
    Answer(u16, serde_json::Value),
}

type GateFn = dyn Fn(&Method, &str) -> Gate + Send + Sync;

struct Proxy {
    upstream: String,
    own: String,
    http: reqwest::Client,
    gate: Box<GateFn>,
}

/// Starts a proxy to `upstream`; `gate` sees each request's method and path (with the query).
/// Returns the proxy's URL.
pub async fn start(
    upstream: &str,
    gate: impl Fn(&Method, &str) -> Gate + Send + Sync + 'static,
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let own = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(Proxy {
        upstream: upstream.to_string(),
        own: own.clone(),
        http: reqwest::Client::new(),
        gate: Box::new(gate),
    });
    let app = axum::Router::new().fallback(forward).with_state(state);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    own
}

/// A proxy that counts the API calls and the writes among them: not the token calls, nor the
/// sandbox's identity (`GET /`, asked outside the request pipeline to name the journal; Zoho
/// has no such call, so it costs no credits). Returns its URL, the calls and the writes.
pub async fn counting(upstream: &str) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let writes = Arc::new(AtomicUsize::new(0));
    let (c, w) = (Arc::clone(&calls), Arc::clone(&writes));
    let url = start(upstream, move |method, path| {
        if !path.starts_with("/oauth") && path != "/" {
            c.fetch_add(1, Ordering::SeqCst);
            if method != Method::GET {
                w.fetch_add(1, Ordering::SeqCst);
            }
        }
        Gate::Forward
    })
    .await;
    (url, calls, writes)
}

/// A proxy that holds every request `held` picks until the test releases it: the URL, then
/// `arrived` (notified as one such request reaches the proxy) and `release`.
pub async fn holding(
    upstream: &str,
    held: impl Fn(&Method, &str) -> bool + Send + Sync + 'static,
) -> (String, Arc<Notify>, Arc<Notify>) {
    let arrived = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let (a, r) = (Arc::clone(&arrived), Arc::clone(&release));
    let url = start(upstream, move |method, path| {
        if held(method, path) {
            a.notify_one();
            Gate::Hold(Arc::clone(&r))
        } else {
            Gate::Forward
        }
    })
    .await;
    (url, arrived, release)
}

async fn forward(
    State(p): State<Arc<Proxy>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or("/", |x| x.as_str()).to_string();
    match (p.gate)(&method, &path) {
        Gate::Forward => {}
        Gate::Stall => std::future::pending::<()>().await,
        Gate::Hold(release) => release.notified().await,
        Gate::Answer(status, body) => {
            let status = StatusCode::from_u16(status).unwrap();
            return (status, axum::Json(body)).into_response();
        }
    }
    let mut req = p
        .http
        .request(method, format!("{}{path}", p.upstream))
        .body(body);
    for (k, v) in &headers {
        if k != "host" {
            req = req.header(k, v);
        }
    }
    let reply = req.send().await.unwrap();
    let status = StatusCode::from_u16(reply.status().as_u16()).unwrap();
    let mut out = HeaderMap::new();
    for (k, v) in reply.headers() {
        out.insert(k, v.clone());
    }
    let mut bytes = reply.bytes().await.unwrap().to_vec();
    if path.starts_with("/oauth") {
        bytes = String::from_utf8_lossy(&bytes)
            .replace(&p.upstream, &p.own)
            .into_bytes();
        out.remove("content-length");
    }
    (status, out, bytes).into_response()
}
