//! The `:` command line: a prompt at the bottom with fuzzy completion over the commands and
//! every rule of the org (shown with its place, "Enterprise Fit — Leads / Standard"). Enter
//! on a rule jumps there; Enter on a command runs it (`run`), the keys' commands through
//! `App::act` so read-only gating and confirmations are those of the keys. ↑ / ↓ recall
//! earlier commands, kept across launches (`history`); Tab completes; Ctrl-U clears.
//!
//! The searchable text of every rule (`search::Index`) and the rules' places are derived once
//! per snapshot in `update`, when something wants them (the line is open, or the rules pane
//! is filtered), never per key or per frame.

mod found;
pub mod history;
pub mod run;
pub mod search;
#[cfg(test)]
mod tests;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Pane};
use super::effects::Effect;
use super::fuzzy;
use crate::display::sanitize;
use crate::domain::OrgSnapshot;

pub use found::FoundView;

/// The most completions listed; the best come first.
const MAX_COMPLETIONS: usize = 50;

/// The commands offered: name, argument (shown in the completion), what it does.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "find",
        "TEXT",
        "rules matching TEXT in any module and layout",
    ),
    (
        "preview",
        "",
        "preview the selected rule on sampled records (p)",
    ),
    ("execute", "", "execute the selected rule (x)"),
    ("history", "", "history of the selected rule (H)"),
    (
        "audit",
        "",
        "active rules per module and layout, with issues",
    ),
    (
        "lint",
        "",
        "rules that cannot work as meant (snapshot checks)",
    ),
    (
        "export",
        "DIR",
        "write every rule as files under DIR (zscore export)",
    ),
    ("reload", "", "reload from the org (r)"),
    (
        "profile",
        "NAME",
        "switch to another org (a profile of config.toml)",
    ),
    ("readonly", "", "turn read-only on for this session"),
    ("help", "", "the key help (?)"),
    ("quit", "", "quit (q)"),
];

/// The command line while open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandLine {
    pub input: String,
    pub completions: Vec<Completion>,
    /// The completion Enter takes (and Tab filled in last), an index into `completions`.
    pub selected: usize,
    /// While recalling: which history entry is shown, counted from the newest.
    recall: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// What the line says, sanitized: ":find TEXT", "Enterprise Fit".
    pub label: String,
    /// The rule's place ("Leads / Standard") or the command's help.
    pub note: String,
    pub target: Target,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// An index into `COMMANDS`.
    Command(usize),
    /// An index into the snapshot's rules.
    Rule(usize),
    /// An index into `Commands::profiles`: `:profile` with that name.
    Profile(usize),
}

/// The command line's state kept in `App`: the open line, the recall history, and what is
/// derived per snapshot.
#[derive(Clone, Debug, Default)]
pub struct Commands {
    pub line: Option<CommandLine>,
    pub history: history::History,
    /// `:export` runs in flight (their request ids): the spinner turns meanwhile.
    pub(crate) exports: Vec<u64>,
    pub(crate) index: search::Index,
    /// Per rule (snapshot order): its name and place, sanitized.
    places: Vec<(String, String)>,
    /// The profiles of config.toml, sanitized: what `:profile` completes.
    pub profiles: Vec<String>,
}

/// "Leads / Standard", "Leads / All layouts": where a rule lives, as the panes name it.
pub fn place(snapshot: &OrgSnapshot, rule: &crate::domain::ScoringRule) -> String {
    let schema = snapshot.module(&rule.module.api_name);
    let module = schema.map_or(rule.module.api_name.as_str(), super::select::module_label);
    let layout = match rule.layout_id() {
        None => super::select::ALL_LAYOUTS.to_string(),
        Some(id) => schema
            .and_then(|s| s.layout(id))
            .map_or_else(|| id.to_string(), |l| l.label().to_string()),
    };
    sanitize(&format!("{module} / {layout}"))
}

impl App {
    /// Whether the rules' searchable text is wanted now: building it for a large org costs
    /// milliseconds, so plain browsing does not pay it.
    fn index_wanted(&self) -> bool {
        self.commands.line.is_some() || !self.filter(Pane::Rules).is_empty()
    }

    /// Rebuilds the search index and the places when the snapshot changed and they are
    /// wanted: what `settle` calls before the lists are derived.
    pub(crate) fn refresh_command_index(&mut self) {
        if !self.index_wanted() || self.commands.index.generation == Some(self.snapshot_generation)
        {
            return;
        }
        let Some(snap) = &self.snapshot else {
            self.commands.index = search::Index::default();
            self.commands.places.clear();
            return;
        };
        self.commands.index = search::Index::build(snap, self.snapshot_generation);
        self.commands.places = snap
            .rules
            .iter()
            .map(|r| (sanitize(&r.name), place(snap, r)))
            .collect();
    }

    /// Whether rule `i` of the snapshot passes the rules pane's filter `query` (lowercased):
    /// the same search as `:find`, from the index when it is current.
    pub(crate) fn rule_passes(&self, i: usize, query: &str) -> bool {
        if query.is_empty() {
            return true;
        }
        if self.commands.index.generation == Some(self.snapshot_generation)
            && let Some(text) = self.commands.index.rules.get(i)
        {
            return text.contains_lower(query);
        }
        let Some(snap) = &self.snapshot else {
            return false;
        };
        snap.rules.get(i).is_some_and(|r| {
            search::RuleText::of(r, snap.module(&r.module.api_name), snap).contains_lower(query)
        })
    }

    /// `:` opens the command line, listing every command.
    pub(crate) fn open_command(&mut self) {
        self.commands.line = Some(CommandLine::default());
        self.refresh_command_index();
        self.complete();
    }

    /// A key while the command line or the `:find` results are open.
    pub(crate) fn command_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if matches!(self.popup, Some(super::app::Popup::Found(_))) {
            return self.found_key(key);
        }
        let Some(line) = self.commands.line.as_mut() else {
            return Vec::new();
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.commands.line = None,
            KeyCode::Enter => return self.run_line(),
            KeyCode::Char('u') if ctrl => {
                line.input.clear();
                line.recall = None;
                self.complete();
            }
            KeyCode::Char('n') if ctrl => line.selected = line.selected.saturating_add(1),
            KeyCode::Char('p') if ctrl => line.selected = line.selected.saturating_sub(1),
            KeyCode::Char(c) if !ctrl => {
                line.input.push(c);
                line.recall = None;
                self.complete();
            }
            KeyCode::Backspace => {
                line.input.pop();
                line.recall = None;
                self.complete();
            }
            KeyCode::Tab => self.tab(1),
            KeyCode::BackTab => self.tab(-1),
            KeyCode::Up => self.recall(1),
            KeyCode::Down => self.recall(-1),
            _ => {}
        }
        if let Some(line) = self.commands.line.as_mut() {
            line.selected = line.selected.min(line.completions.len().saturating_sub(1));
        }
        Vec::new()
    }

    /// The completions of what is typed: commands by name, rules by name, fuzzily, the best
    /// first. A command with its argument being typed (":find acme") lists that command only.
    fn complete(&mut self) {
        let Some(line) = self.commands.line.as_ref() else {
            return;
        };
        let typed = line.input.trim_start_matches(':').trim_start();
        let mut out = Vec::new();
        if let Some(("profile", name)) = typed.split_once(' ') {
            let names = self.commands.profiles.iter().map(String::as_str);
            for i in fuzzy::rank(name.trim(), names, MAX_COMPLETIONS) {
                out.push(Completion {
                    label: format!(":profile {}", self.commands.profiles[i]),
                    note: "switch to this org".into(),
                    target: Target::Profile(i),
                });
            }
            if out.is_empty()
                && let Some(i) = COMMANDS.iter().position(|c| c.0 == "profile")
            {
                out.push(command_completion(i));
            }
        } else if let Some((word, _)) = typed.split_once(' ')
            && let Some(i) = COMMANDS.iter().position(|(name, _, _)| *name == word)
        {
            out.push(command_completion(i));
        } else {
            for i in fuzzy::rank(typed, COMMANDS.iter().map(|c| c.0), MAX_COMPLETIONS) {
                out.push(command_completion(i));
            }
            if !typed.is_empty() {
                let names = self.commands.places.iter().map(|(n, _)| n.as_str());
                let room = MAX_COMPLETIONS.saturating_sub(out.len());
                for i in fuzzy::rank(typed, names, room) {
                    if let Some((name, place)) = self.commands.places.get(i) {
                        out.push(Completion {
                            label: name.clone(),
                            note: place.clone(),
                            target: Target::Rule(i),
                        });
                    }
                }
            }
        }
        if let Some(line) = self.commands.line.as_mut() {
            line.completions = out;
            line.selected = 0;
        }
    }

    /// Tab puts the selected completion on the line (a command ready for its argument); the
    /// next Tab moves to the next completion.
    fn tab(&mut self, step: isize) {
        let Some(line) = self.commands.line.as_mut() else {
            return;
        };
        let n = line.completions.len();
        if n == 0 {
            return;
        }
        let filled = line
            .completions
            .get(line.selected)
            .is_some_and(|c| fill_text(c) == line.input);
        if filled {
            line.selected = (line.selected as isize + step).rem_euclid(n as isize) as usize;
        }
        let completions = line.completions.clone();
        let selected = line.selected;
        if let Some(c) = completions.get(selected) {
            line.input = fill_text(c);
        }
        // The list stays as it was, so further Tabs step through it.
        line.completions = completions;
        line.selected = selected;
    }

    /// ↑ (`back` 1) / ↓ (-1): an earlier / later command from the history onto the line.
    fn recall(&mut self, back: isize) {
        let Some(line) = self.commands.line.as_mut() else {
            return;
        };
        let len = self.commands.history.len();
        let next = match (line.recall, back > 0) {
            (None, true) if len > 0 => Some(0),
            (None, _) => None,
            (Some(i), true) => Some((i + 1).min(len.saturating_sub(1))),
            (Some(0), false) => None,
            (Some(i), false) => Some(i - 1),
        };
        line.input = next
            .and_then(|i| self.commands.history.back(i))
            .map(str::to_string)
            .unwrap_or_default();
        self.complete();
        if let Some(line) = self.commands.line.as_mut() {
            line.recall = next;
        }
    }

    /// Shows rule `i` of the snapshot: its module, layout bucket and the rule selected, the
    /// filters that would hide it dropped, the focus on the rules with the detail beside.
    pub(crate) fn jump_to_rule(&mut self, i: usize) {
        let Some(rule) = self.snapshot.as_ref().and_then(|s| s.rules.get(i)) else {
            return;
        };
        self.sel_module = Some(rule.module.api_name.clone());
        self.sel_layout = Some(rule.layout_id().cloned());
        self.sel_rule = rule.id.clone();
        self.filters = Default::default();
        self.filtering = false;
        self.focus = Pane::Rules;
        self.detail_scroll = 0;
    }
}

fn command_completion(i: usize) -> Completion {
    let (name, arg, help) = COMMANDS[i];
    let label = if arg.is_empty() {
        format!(":{name}")
    } else {
        format!(":{name} {arg}")
    };
    Completion {
        label,
        note: help.to_string(),
        target: Target::Command(i),
    }
}

/// What Tab puts on the line for a completion: a command's name (and a space when it takes an
/// argument), a rule's name.
fn fill_text(c: &Completion) -> String {
    match c.target {
        Target::Command(i) => {
            let (name, arg, _) = COMMANDS[i];
            if arg.is_empty() {
                name.to_string()
            } else {
                format!("{name} ")
            }
        }
        Target::Rule(_) => c.label.clone(),
        Target::Profile(_) => c.label.trim_start_matches(':').to_string(),
    }
}
