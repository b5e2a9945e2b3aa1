//! Keys that act on the selected rule, pressed where there is none to act on (the Modules or
//! Layouts pane, an empty list): instead of doing nothing, the app says why and what to do.

use super::action::{Action, Scope};
use super::app::{App, Notice, Pane};

/// What the action does to a rule, for "select a rule in the Rules pane to …".
fn verb(action: &Action) -> Option<&'static str> {
    Some(match action {
        Action::ToggleActive => "activate or deactivate it",
        Action::CloneRule => "clone it",
        Action::DeleteRule => "delete it",
        Action::Execute(Scope::Rule) => "execute it",
        Action::MoveRule => "move it",
        Action::Preview => "preview it",
        Action::ShowHistory => "see its history",
        Action::EditInEditor => "edit it in your editor",
        _ => return None,
    })
}

impl App {
    /// Says why `action` cannot act here, if it cannot: `true` when refused.
    pub(crate) fn refuse_without_rule(&mut self, action: &Action) -> bool {
        let Some(text) = self.no_rule_here(action) else {
            return false;
        };
        self.notice = Some(Notice { text, error: true });
        true
    }

    /// Why `action` cannot act here, or `None` when it can (or is not a rule action).
    fn no_rule_here(&self, action: &Action) -> Option<String> {
        // Over the form, Ctrl-E edits the form's draft, whichever pane was focused.
        if self.form.is_some() {
            return None;
        }
        let in_rules = matches!(self.focus, Pane::Rules | Pane::Detail);
        if *action == Action::Execute(Scope::Layout) {
            // The layout's active rules: `execute` itself says when there are none.
            return (!in_rules)
                .then(|| "move to the Rules pane to execute the layout's active rules".into());
        }
        let verb = verb(action)?;
        if !in_rules {
            return Some(format!("select a rule in the Rules pane to {verb}"));
        }
        if self.current_rule().is_none() {
            return Some(format!("no rule selected here to {verb}"));
        }
        None
    }
}
