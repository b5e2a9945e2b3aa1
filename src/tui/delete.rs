//! Deleting a rule: `d` asks (a rule that owns custom fields must have its name typed), and
//! the yes sends the deletion, guarded by the rule as loaded.

use super::app::{App, Notice, Pane, Popup};
use super::effects::Effect;
use crate::display::sanitize;
use crate::domain::Id;

/// Deleting a rule, waiting for a yes. Zoho deletes a rule's custom fields with it, so a rule
/// that has any must be confirmed by typing its name, not by one keystroke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmDelete {
    pub rule: Id,
    pub name: String,
    pub custom_fields: Vec<String>,
    pub typed: String,
}

impl ConfirmDelete {
    pub fn needs_typing(&self) -> bool {
        !self.custom_fields.is_empty()
    }
}

impl App {
    pub(crate) fn ask_delete(&mut self) {
        if !matches!(self.focus, Pane::Rules | Pane::Detail) {
            return;
        }
        let Some(rule) = self.current_rule() else {
            return;
        };
        let Some(id) = rule.id.clone() else { return };
        let custom_fields = rule
            .custom_fields
            .iter()
            .map(|c| {
                sanitize(
                    c.field_label
                        .as_deref()
                        .or(c.api_name.as_deref())
                        .unwrap_or("(unnamed)"),
                )
            })
            .collect();
        self.popup = Some(Popup::ConfirmDelete(ConfirmDelete {
            rule: id,
            name: rule.name.clone(),
            custom_fields,
            typed: String::new(),
        }));
    }

    /// "Yes" in a confirmation popup: the undo's, a write's, or the deletion's.
    pub(crate) fn confirm(&mut self) -> Vec<Effect> {
        match &self.popup {
            Some(Popup::ConfirmUndo(_)) => return self.confirm_undo(),
            Some(Popup::ConfirmWrite(_)) => return self.confirm_write(),
            Some(Popup::Bulk(_)) => return self.bulk_confirm(),
            _ => {}
        }
        let Some(Popup::ConfirmDelete(c)) = &self.popup else {
            return Vec::new();
        };
        if c.needs_typing() && c.typed != c.name {
            self.notice = Some(Notice {
                text: "type the rule's name exactly to delete it (Esc cancels)".into(),
                error: true,
            });
            return Vec::new();
        }
        let (rule, name) = (c.rule.clone(), c.name.clone());
        // The rule as loaded is the guard's base: a change by someone else since refuses it.
        let Some(base) = self.snapshot.as_ref().and_then(|s| s.rule(&rule)).cloned() else {
            self.popup = None;
            self.notice = Some(Notice {
                text: format!("not deleted: “{}” is no longer loaded", sanitize(&name)),
                error: true,
            });
            return Vec::new();
        };
        self.popup = None;
        let request = self.request_id();
        self.change_requests.push(request);
        self.notice = Some(Notice {
            text: format!("deleting “{}”…", sanitize(&name)),
            error: false,
        });
        vec![Effect::DeleteRule {
            request,
            rule,
            name,
            base: Box::new(base),
        }]
    }

    pub(crate) fn edit_typed(&mut self, edit: impl FnOnce(&mut String)) {
        match &mut self.popup {
            Some(Popup::ConfirmDelete(c)) => edit(&mut c.typed),
            Some(Popup::Bulk(d)) if d.needs_typing() => edit(&mut d.typed),
            _ => {}
        }
    }
}
