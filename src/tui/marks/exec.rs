//! `x` on marks: execute every marked rule, five ids per request (Zoho's limit, as
//! `jobs::execute::ExecPlan::rules` chunks them), through the same confirmation and progress
//! view as `x` on one rule. Zoho executes the rules of one module per request, so marks in
//! several modules are refused with the modules named.

use std::collections::BTreeSet;

use crate::display::sanitize;
use crate::domain::Id;
use crate::jobs::execute::ExecPlan;
use crate::tui::app::{App, Notice, Popup};
use crate::tui::effects::Effect;
use crate::tui::write_keys::{EXECUTE_REACH, PendingWrite, WriteConfirm};

impl App {
    pub(crate) fn execute_marked(&mut self) -> Vec<Effect> {
        let Some(snap) = self.snapshot.as_ref() else {
            return Vec::new();
        };
        let rules = self.marks.rules(snap);
        let modules: BTreeSet<&str> = rules.iter().map(|r| r.module.api_name.as_str()).collect();
        let [module] = modules.iter().collect::<Vec<_>>()[..] else {
            let names: Vec<String> = modules.iter().map(|m| sanitize(m)).collect();
            self.notice = Some(Notice {
                text: format!(
                    "the marks span {}: Zoho executes one module's rules per request, so mark the rules of one module",
                    names.join(", ")
                ),
                error: true,
            });
            return Vec::new();
        };
        let module = sanitize(module);
        let ids: Vec<Id> = rules.iter().filter_map(|r| r.id.clone()).collect();
        let names: Vec<String> = rules
            .iter()
            .map(|r| format!("“{}”", sanitize(&r.name)))
            .collect();
        let inactive = rules.iter().filter(|r| !r.active).count();
        let plan = ExecPlan::rules(&module, &ids);
        let requests = plan.chunks.len();
        let write = PendingWrite::Execute {
            plan,
            title: format!("Executing {} marked rule(s) of {module}", ids.len()),
        };
        if !self.confirm_writes {
            return self.send(write);
        }
        let mut lines = vec![
            format!(
                "Execute the {} marked rule(s) of {module}, in {requests} request(s) of at most five?",
                ids.len()
            ),
            format!("Rules: {}.", names.join(", ")),
            format!("Zoho re-scores the {module} records they apply to. {EXECUTE_REACH}"),
        ];
        if inactive > 0 {
            lines.push(format!("{inactive} of them are inactive."));
        }
        self.popup = Some(Popup::ConfirmWrite(WriteConfirm {
            title: "Execute marked rules".into(),
            lines,
            keys: "y execute · n or Esc cancel".into(),
            write,
        }));
        Vec::new()
    }
}
