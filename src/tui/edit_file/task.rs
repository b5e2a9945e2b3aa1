//! The edit's work off the UI task: sending its steps, keeping an unsent text in a file.

use std::sync::Mutex;

use crate::tui::effects::Runner;
use crate::tui::event::Msg;
use crate::tui::outcome::{Change, Done, Failure};
use crate::tui::supervise::{self, Failed};

impl Runner {
    /// Sends an edit's steps as `zscore edit` does; every step refused is reported.
    pub(crate) fn apply_edit(
        &self,
        request: u64,
        plan: crate::transfer::Plan,
        snapshot: crate::domain::OrgSnapshot,
        names: Vec<String>,
        failed: Option<Failed>,
    ) {
        self.journaled(request, Change::Edit { names }, failed, move |w| {
            Box::pin(async move {
                let refused = Mutex::new(Vec::new());
                let applied = crate::transfer::apply::apply(w, &plan, &snapshot, false, |r| {
                    if let Err(why) = r
                        && let Ok(mut all) = refused.lock()
                    {
                        all.push(crate::display::sanitize(&why));
                    }
                });
                let applied = applied.await;
                if applied.ok {
                    Ok(Done::Written)
                } else {
                    let why = refused.lock().map(|r| r.join("; ")).unwrap_or_default();
                    Err(Failure::Other(format!("the edit was not all saved: {why}")))
                }
            })
        });
    }

    /// Keeps an edit that was not sent in a file, and says where (`Msg::EditKept`).
    pub(crate) fn keep_edit_text(&self, text: String, failed: Option<Failed>) {
        let tx = self.sender();
        supervise::spawn(self.sender(), failed, async move {
            let kept = tokio::task::spawn_blocking(move || keep_text(&text))
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
            let _ = tx.send(Msg::EditKept(kept));
        });
    }
}

/// An edit not sent, in a file the user can find: where it is.
fn keep_text(text: &str) -> Result<String, String> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut file = crate::editor::EditFile::create(&format!("kept{stamp}"), text)?;
    file.keep = true;
    Ok(file.path.display().to_string())
}
