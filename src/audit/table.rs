//! The audit as a terminal table: the org's quota at a glance, then per module its layout
//! buckets (active and total rules against the edition's limits, empty layouts included, since
//! free quota is the point), its rules, and their issues in full.
//!
//! Plain text only (no colour codes), so it is the same with `NO_COLOR`, in a pipe or a file.
//! Every piece of org text is sanitized and cut to its column by display width, and every line
//! is at most `width` columns, whatever the names hold.

use super::{AuditRow, Usage};
use crate::display::{display_width, pad_to_width, sanitize, truncate_to_width, wrap};
use crate::domain::edition::Limits;
use crate::domain::snapshot::OrgSnapshot;

const ACTIVE: &str = "●";
const INACTIVE: &str = "○";
const ALL_LAYOUTS: &str = "All layouts";
/// Widest a name may be in a header line or an issue list before it is cut.
const LABEL_COLUMNS: usize = 30;

/// The rows as an aligned table no wider than `width` columns, ending with a newline. Modules
/// come in the order of `rows` (as `audit` sorted them); rules without a layout show as
/// "All layouts"; ● marks active rules, ○ inactive ones.
pub fn render_table(rows: &[AuditRow], snapshot: &OrgSnapshot, width: usize) -> String {
    let limits = snapshot.edition.limits();
    let mut modules: Vec<&str> = Vec::new();
    for r in rows {
        if !modules.contains(&r.module.as_str()) {
            modules.push(&r.module);
        }
    }
    let mut lines = vec![format!(
        "Scoring rules audit: {} ({} edition)",
        sanitize(&snapshot.org_name),
        snapshot.edition.label()
    )];
    let summary: Vec<String> = modules
        .iter()
        .map(|m| format!("{}: {}", label(m), totals(&Usage::of(snapshot, m), &limits)))
        .collect();
    lines.extend(wrap_items(&summary, "", width));
    if rows.is_empty() {
        lines.push("No scoring rules to show.".to_string());
    }
    let columns = Columns::fit(rows, width);
    for module in modules {
        lines.push(String::new());
        module_block(module, rows, snapshot, &limits, &columns, width, &mut lines);
    }
    let mut out = String::new();
    for line in lines {
        out.push_str(&truncate_to_width(line.trim_end(), width));
        out.push('\n');
    }
    out
}

fn module_block(
    module: &str,
    rows: &[AuditRow],
    snapshot: &OrgSnapshot,
    limits: &Limits,
    columns: &Columns,
    width: usize,
    lines: &mut Vec<String>,
) {
    let usage = Usage::of(snapshot, module);
    let mut head = format!("{}: {}", label(module), totals(&usage, limits));
    if let Some(max) = limits.layouts {
        head.push_str(&format!(
            "; rules on {}/{max} layouts",
            usage.layouts_used()
        ));
        lines.push(head);
        lines.extend(wrap_items(
            &buckets(module, &usage, snapshot, limits),
            "  ",
            width,
        ));
    } else {
        lines.push(head);
    }
    lines.push(columns.header());
    let mine: Vec<&AuditRow> = rows.iter().filter(|r| r.module == module).collect();
    for r in &mine {
        lines.push(columns.row(r));
    }
    if mine.iter().any(|r| !r.issues.is_empty()) {
        lines.push("  Issues:".to_string());
        for r in mine.iter().filter(|r| !r.issues.is_empty()) {
            lines.push(format!("    {}", label(&r.rule_name)));
            for issue in &r.issues {
                let text = sanitize(issue);
                for (i, part) in wrap(&text, width.saturating_sub(8)).into_iter().enumerate() {
                    let lead = if i == 0 { "      - " } else { "        " };
                    lines.push(format!("{lead}{part}"));
                }
            }
        }
    }
}

/// "9/25 active, 14/50 rules".
fn totals(usage: &Usage, limits: &Limits) -> String {
    format!(
        "{}/{} active, {}/{} rules",
        usage.active, limits.active_per_module, usage.total, limits.total_per_module
    )
}

/// One "Standard: 2/5 active, 3/10 rules" per layout bucket: the module's layouts in order,
/// layouts rules name that the metadata lacks, then rules for all layouts.
fn buckets(module: &str, usage: &Usage, snapshot: &OrgSnapshot, limits: &Limits) -> Vec<String> {
    let layouts = snapshot.module(module).map_or(&[][..], |m| &m.layouts[..]);
    let mut items: Vec<(String, (usize, usize))> = layouts
        .iter()
        .map(|l| (label(l.label()), usage.bucket(Some(&l.id))))
        .collect();
    for id in usage.layout_ids() {
        if !layouts.iter().any(|l| &l.id == id) {
            items.push((
                format!("layout {}", label(id.as_str())),
                usage.bucket(Some(id)),
            ));
        }
    }
    items.push((ALL_LAYOUTS.to_string(), usage.bucket(None)));
    items
        .into_iter()
        .map(|(name, (active, total))| {
            format!(
                "{name}: {active}/{} active, {total}/{} rules",
                limits.active_per_layout, limits.total_per_layout
            )
        })
        .collect()
}

/// Org text for a header or list line: inert and of bounded width.
fn label(s: &str) -> String {
    truncate_to_width(&sanitize(s), LABEL_COLUMNS)
}

/// `items` joined by "; " into lines of at most `width` columns, each starting with `indent`;
/// an item too long for a line of its own is cut.
fn wrap_items(items: &[String], indent: &str, width: usize) -> Vec<String> {
    let room = width.saturating_sub(display_width(indent)).max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for (i, item) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        let piece = if last {
            item.clone()
        } else {
            format!("{item};")
        };
        let piece = truncate_to_width(&piece, room);
        let sep = usize::from(!line.is_empty());
        if !line.is_empty() && display_width(&line) + sep + display_width(&piece) > room {
            lines.push(format!("{indent}{}", std::mem::take(&mut line)));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines
}

/// Column widths, fitted once for all modules so every block lines up the same.
struct Columns {
    name: usize,
    layout: usize,
    field_rules: usize,
    signal_rules: usize,
    conditions: usize,
    score: usize,
    issues: usize,
}

/// Preferred widest rule name and layout before the issues column gets the rest.
const NAME_PREFERRED: usize = 25;
const LAYOUT_PREFERRED: usize = 18;
/// Widest they grow into room the issues leave: a Zoho name has at most 25 characters, 50
/// columns in CJK; anything longer is hostile or broken and is cut.
const NAME_MAX: usize = 50;
const LAYOUT_MAX: usize = 40;
/// Narrowest the name, layout and issues columns shrink to before lines are simply cut.
const TEXT_FLOOR: usize = 6;
const ISSUES_WANTED: usize = 12;

impl Columns {
    fn fit(rows: &[AuditRow], width: usize) -> Columns {
        let widest = |header: &str, cells: &mut dyn Iterator<Item = usize>| {
            cells.fold(display_width(header), usize::max)
        };
        let field_rules = widest("FR", &mut rows.iter().map(|r| digits(r.field_rules)));
        let signal_rules = widest("SR", &mut rows.iter().map(|r| digits(r.signal_rules)));
        let conditions = widest("Cond", &mut rows.iter().map(|r| digits(r.conditions)));
        let score = widest("Score", &mut rows.iter().map(|r| span(r).len()));
        let name_natural = widest("Rule", &mut rows.iter().map(|r| clean_width(&r.rule_name)));
        let layout_natural = widest(
            "Layout",
            &mut rows.iter().map(|r| clean_width(layout_of(r))),
        );
        let issues_natural = widest(
            "Issues",
            &mut rows.iter().map(|r| display_width(&issue_cell(r))),
        );

        // Indent, marker and the gaps between columns (two around text, one between counts).
        let fixed = 4 + 2 + 2 + 1 + 1 + 2 + 2 + field_rules + signal_rules + conditions + score;
        let room = width.saturating_sub(fixed);
        let mut name = name_natural.min(NAME_PREFERRED);
        let mut layout = layout_natural.min(LAYOUT_PREFERRED);
        let issues_wanted = issues_natural.min(ISSUES_WANTED);
        while name + layout + issues_wanted > room {
            if name >= layout && name > TEXT_FLOOR {
                name -= 1;
            } else if layout > TEXT_FLOOR {
                layout -= 1;
            } else if name > TEXT_FLOOR {
                name -= 1;
            } else {
                break;
            }
        }
        // Room the issues do not need goes back to long names, then long layouts.
        let mut spare = room
            .saturating_sub(name + layout)
            .saturating_sub(issues_natural);
        let grow = name_natural.min(NAME_MAX).saturating_sub(name).min(spare);
        name += grow;
        spare -= grow;
        layout += layout_natural
            .min(LAYOUT_MAX)
            .saturating_sub(layout)
            .min(spare);
        let issues = room.saturating_sub(name + layout);
        Columns {
            name,
            layout,
            field_rules,
            signal_rules,
            conditions,
            score,
            issues,
        }
    }

    fn header(&self) -> String {
        self.line(
            " ",
            "Rule",
            "Layout",
            ["FR", "SR", "Cond"],
            "Score",
            "Issues",
        )
    }

    fn row(&self, r: &AuditRow) -> String {
        let marker = if r.active { ACTIVE } else { INACTIVE };
        let counts = [
            r.field_rules.to_string(),
            r.signal_rules.to_string(),
            r.conditions.to_string(),
        ];
        let [fr, sr, cond] = counts.each_ref().map(String::as_str);
        self.line(
            marker,
            &sanitize(&r.rule_name),
            &sanitize(layout_of(r)),
            [fr, sr, cond],
            &span(r),
            &issue_cell(r),
        )
    }

    fn line(
        &self,
        marker: &str,
        name: &str,
        layout: &str,
        counts: [&str; 3],
        score: &str,
        issues: &str,
    ) -> String {
        let cell = |s: &str, w: usize| pad_to_width(&truncate_to_width(s, w), w);
        let [fr, sr, cond] = counts;
        format!(
            "  {marker} {}  {}  {fr:>fw$} {sr:>sw$} {cond:>cw$}  {}  {}",
            cell(name, self.name),
            cell(layout, self.layout),
            cell(score, self.score),
            truncate_to_width(issues, self.issues),
            fw = self.field_rules,
            sw = self.signal_rules,
            cw = self.conditions,
        )
    }
}

fn layout_of(r: &AuditRow) -> &str {
    match (&r.layout_name, &r.layout_id) {
        (Some(name), _) => name,
        (None, Some(id)) => id,
        (None, None) => ALL_LAYOUTS,
    }
}

fn clean_width(s: &str) -> usize {
    display_width(&sanitize(s))
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}

/// "-10..+25": the score range of one record, signs shown so the direction is plain.
fn span(r: &AuditRow) -> String {
    let signed = |n: i64| {
        if n > 0 {
            format!("+{n}")
        } else {
            n.to_string()
        }
    };
    format!("{}..{}", signed(r.min_score), signed(r.max_score))
}

/// Blank, the only issue, or "(3) " and the first; the full list follows the module's rows.
fn issue_cell(r: &AuditRow) -> String {
    match r.issues.as_slice() {
        [] => String::new(),
        [one] => sanitize(one),
        [first, ..] => format!("({}) {}", r.issues.len(), sanitize(first)),
    }
}
