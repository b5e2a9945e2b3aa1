//! The sandbox's HTTP face: routes, middleware (latency, concurrency limit, auth) and the
//! fallbacks that answer unknown paths and methods the way Zoho does.

pub mod auth;
mod entity_scores;
mod execute;
pub mod extract;
pub mod faults;
mod limits;
mod metadata;
pub mod records;
pub mod respond;
mod rules;

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::json;

use super::SandboxOptions;
use super::jobs::Jobs;
use super::persist::StateFile;
use super::store::{Org, PendingJob};
use crate::domain::codes;
use respond::ApiError;

pub struct AppState {
    org: RwLock<Org>,
    pub tokens: auth::TokenStore,
    pub jobs: Jobs,
    pub options: SandboxOptions,
    pub faults: faults::Faults,
    /// API requests in flight now, and the most there have been at once.
    in_flight: AtomicUsize,
    pub peak_in_flight: AtomicUsize,
    /// The cap on requests in flight (`--max-concurrency`, else the org's edition's limit).
    pub concurrency_cap: Option<usize>,
    /// Requests answered 429 because the cap was reached.
    pub throttled: AtomicUsize,
    /// `--state FILE`: written at every commit point, under the org's write lock.
    state_file: Option<Mutex<StateFile>>,
    /// Executions the state file held as unfinished, run again once serving starts.
    resume: Mutex<Vec<PendingJob>>,
    /// Names the org served: the state file's identity, else one made for this process (an
    /// org kept in memory only is a new org each time). Clients key their journals by it.
    identity: String,
}

impl AppState {
    pub fn new(org: Org, options: SandboxOptions) -> Self {
        AppState {
            concurrency_cap: options.max_concurrency.cap(org.edition),
            org: RwLock::new(org),
            tokens: auth::TokenStore::new(options.token_ttl),
            jobs: Jobs::default(),
            faults: faults::Faults::new(
                options.fail_rate,
                options.fault_seed,
                options.rate_limit.map(|n| (n, options.rate_window)),
                options.jitter,
            ),
            options,
            in_flight: AtomicUsize::new(0),
            peak_in_flight: AtomicUsize::new(0),
            throttled: AtomicUsize::new(0),
            state_file: None,
            resume: Mutex::new(Vec::new()),
            identity: crate::sandbox::persist::new_identity(),
        }
    }

    pub fn identity(&self) -> &str {
        &self.identity
    }

    pub fn with_state_file(mut self, file: StateFile, pending: Vec<PendingJob>) -> Self {
        self.identity = file.identity().to_string();
        self.state_file = Some(Mutex::new(file));
        self.resume = Mutex::new(pending);
        self
    }

    /// The commit point: called with the write lock still held, before a write is answered.
    /// Without a state file it only forgets the change list. If the file refuses the write,
    /// the org is put back to what the file holds, so what we serve never runs ahead of what
    /// survives a restart, and the request is answered 500.
    pub fn commit(&self, org: &mut Org) -> Result<(), ApiError> {
        let changes = org.take_changes();
        let Some(file) = &self.state_file else {
            return Ok(());
        };
        let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
        let Err(e) = file.commit(org, &changes) else {
            return Ok(());
        };
        tracing::error!("cannot write the state file: {e}");
        match file.load() {
            Ok(restored) => *org = restored.org,
            Err(e) => tracing::error!("cannot re-read the state file either: {e}"),
        }
        Err(ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Internal Server Error",
            json!({}),
        ))
    }

    /// A panic while holding the lock cannot leave the org half-changed (every change validates
    /// before it touches state), so a poisoned lock is still safe to use.
    pub fn read_org(&self) -> RwLockReadGuard<'_, Org> {
        self.org.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write_org(&self) -> RwLockWriteGuard<'_, Org> {
        self.org.write().unwrap_or_else(|e| e.into_inner())
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    const RULES: &str = "/crm/v8/settings/automation/scoring_rules";
    let api = Router::new()
        .route(
            RULES,
            get(rules::list)
                .post(rules::create)
                .put(rules::update_many)
                .delete(rules::delete_many),
        )
        .route(
            &format!("{RULES}/{{id}}"),
            get(rules::get)
                .put(rules::update_one)
                .delete(rules::delete_one),
        )
        .route(
            &format!("{RULES}/{{id}}/actions/activate"),
            put(rules::activate).delete(rules::deactivate),
        )
        .route(&format!("{RULES}/{{id}}/actions/clone"), post(rules::clone))
        .route(
            "/crm/v8/{module}/actions/run_scoring_rules",
            put(execute::run),
        )
        .route("/crm/v8/settings/modules", get(metadata::modules))
        .route("/crm/v8/settings/modules/{module}", get(metadata::module))
        .route("/crm/v8/settings/layouts", get(metadata::layouts))
        .route("/crm/v8/settings/layouts/{id}", get(metadata::layout))
        .route("/crm/v8/settings/fields", get(metadata::fields))
        .route("/crm/v8/settings/signals", get(metadata::signals))
        .route("/crm/v8/org", get(metadata::org))
        .route("/crm/v8/users", get(metadata::users))
        .route("/crm/v8/Entity_Scores__s", get(entity_scores::all_scores))
        .route(
            "/crm/v8/Entity_Scores__s/{record_id}",
            get(entity_scores::record_scores_by_id),
        )
        .route(
            "/crm/v8/{module}/{record_id}/Entity_Scores__s",
            get(entity_scores::record_scores_in_module),
        )
        .route("/crm/v8/{module}", get(records::list));
    // Zoho has no job-status endpoint; without it the sandbox answers its path as Zoho answers
    // any unknown one.
    let api = if state.options.job_status {
        api.route("/sandbox/v1/jobs/{id}", get(execute::job_status))
    } else {
        api
    }
    .route_layer(from_fn_with_state(state.clone(), auth::require_token));
    Router::new()
        .merge(api)
        .route(auth::TOKEN_PATH, post(auth::token_endpoint))
        .route("/", get(root))
        .fallback(not_found)
        .method_not_allowed_fallback(wrong_method)
        // Inside the latency layer, so a request refused by the concurrency cap is not also
        // counted against the rate limit or handed a fault.
        .layer(from_fn_with_state(state.clone(), faults::inject))
        .layer(from_fn_with_state(
            state.clone(),
            limits::latency_and_concurrency,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            auth::require_configured_token,
        ))
        .with_state(state)
}

/// Runs again the executions a state file held as unfinished (accepted, then the process died).
pub fn resume_jobs(state: &Arc<AppState>) {
    let pending = std::mem::take(&mut *state.resume.lock().unwrap_or_else(|e| e.into_inner()));
    for job in pending {
        execute::resume(state, job);
    }
}

async fn root(axum::extract::State(state): axum::extract::State<Arc<AppState>>) -> Response {
    respond::ok(
        json!({"service": "zscore sandbox", "api": "/crm/v8", "token": "/oauth/v2/token", "org": state.identity()}),
    )
}

async fn not_found() -> Response {
    ApiError::not_found().into_response()
}

async fn wrong_method() -> Response {
    ApiError::bad_request(
        codes::INVALID_REQUEST_METHOD,
        "The http request method type is not a valid one",
        json!({}),
    )
    .into_response()
}
