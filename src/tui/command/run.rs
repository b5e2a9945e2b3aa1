//! What Enter on the command line does: run the command typed, or the completion selected
//! (a rule: jump there). The commands that keys also do go through `App::act` with the key's
//! action, so read-only gating, confirmations and notices are the keys' own; `:audit` and
//! `:lint` show what the CLI prints, from the same core functions (`audit`, `lab::lint`).

use super::{COMMANDS, Target};
use crate::display::sanitize;
use crate::tui::action::{Action, Scope};
use crate::tui::app::{App, Notice, Popup};
use crate::tui::effects::Effect;

/// A scrolled popup of text the core rendered (the audit table, lint findings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportView {
    pub title: String,
    /// Sanitized, one row each (the core renders them to the screen's width).
    pub lines: Vec<String>,
    pub scroll: u16,
    /// Rows shown, as of the last update: a page.
    pub visible: u16,
}

impl ReportView {
    /// `text` as rows of at most `width` columns: a longer line (a lint finding) wraps.
    fn new(title: &str, text: &str, width: usize) -> ReportView {
        ReportView {
            title: title.to_string(),
            lines: text
                .lines()
                .flat_map(|l| {
                    let l = sanitize(l);
                    // A line that fits keeps its spaces (the audit's columns).
                    if crate::display::display_width(&l) <= width {
                        vec![l]
                    } else {
                        crate::display::wrap(&l, width.max(1))
                    }
                })
                .collect(),
            scroll: 0,
            visible: 0,
        }
    }

    /// Learns the box's height and keeps the offset within the text.
    pub(crate) fn fit(&mut self, visible: u16) {
        self.visible = visible;
        let last_top = self.lines.len().saturating_sub(usize::from(visible));
        self.scroll = self.scroll.min(u16::try_from(last_top).unwrap_or(u16::MAX));
    }
}

impl App {
    /// Enter on the command line.
    pub(crate) fn run_line(&mut self) -> Vec<Effect> {
        let Some(line) = self.commands.line.clone() else {
            return Vec::new();
        };
        let typed = line.input.trim().trim_start_matches(':').trim().to_string();
        let (word, mut arg) = match typed.split_once(' ') {
            Some((w, a)) => (w, a.trim()),
            None => (typed.as_str(), ""),
        };
        let selected = line.completions.get(line.selected).map(|c| c.target);
        // ":profile pro" means the profile its completion names, unless a profile is called
        // exactly what was typed.
        if let Some(Target::Profile(i)) = selected
            && word == "profile"
            && !self.commands.profiles.iter().any(|p| p == arg)
            && let Some(name) = self.commands.profiles.get(i)
        {
            arg = name;
        }
        let arg = arg.to_string();
        let arg = arg.as_str();
        // A rule whose name Tab filled in is that rule, even if it reads like a command.
        if let Some(Target::Rule(i)) = selected
            && (!COMMANDS.iter().any(|c| c.0 == word)
                || line.completions[line.selected].label == typed)
        {
            self.commands.line = None;
            self.jump_to_rule(i);
            return Vec::new();
        }
        let command = COMMANDS
            .iter()
            .position(|c| c.0 == word)
            .or(match selected {
                Some(Target::Command(i)) => Some(i),
                _ => None,
            });
        let Some(command) = command else {
            self.notice = Some(Notice {
                text: format!(
                    "no command or rule matches “{}” (Esc closes)",
                    sanitize(&typed)
                ),
                error: true,
            });
            return Vec::new();
        };
        let (name, wants, _) = COMMANDS[command];
        if !wants.is_empty() && arg.is_empty() {
            // ":find" without its text: the line waits for it.
            if let Some(line) = self.commands.line.as_mut() {
                line.input = format!("{name} ");
            }
            self.notice = Some(Notice {
                text: format!(":{name} needs {wants}"),
                error: false,
            });
            return Vec::new();
        }
        self.commands.line = None;
        let recorded = if wants.is_empty() {
            name.to_string()
        } else {
            format!("{name} {arg}")
        };
        let mut effects: Vec<Effect> = self.commands.history.push(&recorded).into_iter().collect();
        effects.extend(self.run_command(name, arg));
        effects
    }

    fn run_command(&mut self, name: &str, arg: &str) -> Vec<Effect> {
        match name {
            "preview" => self.act(Action::Preview),
            "execute" => self.act(Action::Execute(Scope::Rule)),
            "history" => self.act(Action::ShowHistory),
            "reload" => self.act(Action::Reload),
            "quit" => self.act(Action::Quit),
            "help" => self.act(Action::ToggleHelp),
            "readonly" => {
                self.turn_readonly_on();
                Vec::new()
            }
            "find" => {
                self.open_found(arg);
                Vec::new()
            }
            "audit" => {
                self.show_audit();
                Vec::new()
            }
            "lint" => {
                self.show_lint();
                Vec::new()
            }
            "export" => self.start_export(arg),
            "profile" => self.switch_profile(arg),
            _ => Vec::new(),
        }
    }

    /// `:readonly`: writes are refused from now on, this session. There is no way back from
    /// the command line: read-only set by the profile, the flag or a journal that cannot be
    /// opened must not be undone from inside, and one turned on here ends with the session.
    fn turn_readonly_on(&mut self) {
        let text = match &self.readonly {
            Some(why) => format!("already read-only ({why}); it cannot be turned off from here"),
            None => {
                self.readonly = Some("turned on with :readonly for this session".into());
                "read-only for the rest of this session (restart to write again)".into()
            }
        };
        self.notice = Some(Notice { text, error: false });
    }

    /// `:profile NAME`: the event loop swaps the session for the profile's (`tui::session`).
    /// Work in flight belongs to the org it was sent to, so a switch waits for it; a load may
    /// be dropped (its answer is for the old session and matches no request of the new one).
    fn switch_profile(&mut self, name: &str) -> Vec<Effect> {
        let text = if self.source.label == format!("profile {name}") {
            format!("already on profile {}", sanitize(name))
        } else if self.busy() && !self.only_loading() {
            "work is in flight on this org: switch when the spinner stops".to_string()
        } else {
            self.notice = Some(Notice {
                text: format!("switching to profile {}…", sanitize(name)),
                error: false,
            });
            return vec![Effect::SwitchProfile(name.to_string())];
        };
        self.notice = Some(Notice { text, error: true });
        Vec::new()
    }

    /// `:audit`: the table `zscore audit` prints, for the loaded snapshot.
    fn show_audit(&mut self) {
        let Some(snap) = &self.snapshot else {
            self.not_loaded("audit");
            return;
        };
        let opts = crate::audit::AuditOptions {
            modules: Vec::new(),
            include_inactive: false,
        };
        let text = match crate::audit::audit(snap, &opts) {
            Ok(rows) => crate::audit::render_table(&rows, snap, self.report_width()),
            Err(e) => format!("the audit failed: {e}"),
        };
        self.popup = Some(Popup::Report(ReportView::new(
            "Audit",
            &text,
            self.report_width(),
        )));
    }

    /// `:lint`: the snapshot checks of `zscore lint` (the CLI also samples records; the score
    /// lab's preview does that here, per rule).
    fn show_lint(&mut self) {
        let Some(snap) = &self.snapshot else {
            self.not_loaded("lint");
            return;
        };
        let findings = crate::lab::lint::snapshot_findings(snap, &[]);
        let mut text = crate::lab::lint::render_text(&findings);
        text.push_str("\n(snapshot checks; `zscore lint` also checks a sample of records)\n");
        self.popup = Some(Popup::Report(ReportView::new(
            "Lint",
            &text,
            self.report_width(),
        )));
    }

    /// `:export DIR`: the export runs in a task; the status bar says where it writes, then
    /// what it wrote. A `~/` at the start is the home directory, as in a shell.
    fn start_export(&mut self, arg: &str) -> Vec<Effect> {
        let dir = match (arg.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
            _ => std::path::PathBuf::from(arg),
        };
        let request = self.request_id();
        self.commands.exports.push(request);
        self.notice = Some(Notice {
            text: format!(
                "exporting every rule to {}…",
                sanitize(&dir.display().to_string())
            ),
            error: false,
        });
        vec![Effect::Export { request, dir }]
    }

    /// An export finished: where it wrote, or why it did not.
    pub(crate) fn exported(
        &mut self,
        request: u64,
        dir: &std::path::Path,
        result: Result<crate::transfer::write::Written, String>,
    ) {
        let Some(i) = self.commands.exports.iter().position(|r| *r == request) else {
            return;
        };
        self.commands.exports.remove(i);
        let dir = sanitize(&dir.display().to_string());
        self.notice = Some(match result {
            Ok(w) => Notice {
                text: format!(
                    "exported {} rule(s) to {dir} ({} file(s){})",
                    w.rules,
                    w.rule_files.len(),
                    if w.removed > 0 {
                        format!(", {} stale file(s) removed", w.removed)
                    } else {
                        String::new()
                    }
                ),
                error: false,
            },
            Err(e) => Notice {
                text: format!("export to {dir} failed: {}", sanitize(&e)),
                error: true,
            },
        });
    }

    fn not_loaded(&mut self, what: &str) {
        self.notice = Some(Notice {
            text: format!(":{what} needs the org loaded (r reloads)"),
            error: true,
        });
    }

    /// Columns inside the report's box.
    fn report_width(&self) -> usize {
        let rect = crate::tui::view::layout::history_box(self.screen);
        usize::from(crate::tui::view::layout::inner(rect).width)
    }

    /// Scrolling keys while a report is open; `None` for any other action.
    pub(crate) fn report_act(&mut self, action: &Action) -> Option<Vec<Effect>> {
        let Some(Popup::Report(view)) = &mut self.popup else {
            return None;
        };
        let to = crate::tui::screen::scrolled(view.scroll, action, view.visible)?;
        view.scroll = to;
        Some(Vec::new())
    }
}
