//! What an import would change in one org rule, as a person reads it.
//!
//! Paths index the file's lists (`field_rules[1].score`), since the file is what the person
//! edited; an org item the file no longer has is listed at the bare list path
//! (`field_rules: +5 when … → (none)`). Field rules pair up first when identical, then by equal
//! criteria (a score change), then in order (a criteria change); what is left was added or
//! removed. Signal rules pair by signal, custom fields by label.

use super::format::{FileFieldRule, RuleFile};
use super::normal::{criteria_key, pair_custom_fields, references_agree};
use super::render::{self, NONE, string};
use super::steps::Change;

/// Every difference between the org rule and the file, both in file form; empty exactly when
/// `normal::same_rule` holds.
pub fn diff(org: &RuleFile, file: &RuleFile) -> Vec<Change> {
    let mut out = Vec::new();
    let text = |s: &Option<String>, none: &str| s.as_deref().map_or(none.to_string(), string);
    if org.name != file.name {
        out.push(change("name", string(&org.name), string(&file.name)));
    }
    if org.description != file.description {
        out.push(change(
            "description",
            text(&org.description, "null"),
            text(&file.description, "null"),
        ));
    }
    if org.layout != file.layout {
        let all = "null (every layout)";
        out.push(change(
            "layout",
            text(&org.layout, all),
            text(&file.layout, all),
        ));
    }
    if org.active != file.active {
        out.push(change(
            "active",
            org.active.to_string(),
            file.active.to_string(),
        ));
    }
    field_rules(&org.field_rules, &file.field_rules, &mut out);
    signal_rules(org, file, &mut out);
    custom_fields(org, file, &mut out);
    out
}

fn change(path: impl Into<String>, before: String, after: String) -> Change {
    Change {
        path: path.into(),
        before,
        after,
    }
}

fn field_rules(org: &[FileFieldRule], file: &[FileFieldRule], out: &mut Vec<Change>) {
    let org_keys: Vec<String> = org.iter().map(|f| criteria_key(&f.criteria)).collect();
    let file_keys: Vec<String> = file.iter().map(|f| criteria_key(&f.criteria)).collect();
    let (pair, removed) = pair_up(
        file.len(),
        org.len(),
        &[
            &|f, o| file_keys[f] == org_keys[o] && file[f].score == org[o].score,
            &|f, o| file_keys[f] == org_keys[o],
            &|_, _| true,
        ],
    );
    for (f, p) in pair.iter().enumerate() {
        let at = format!("field_rules[{f}]");
        match *p {
            None => out.push(change(at, NONE.into(), render::field_rule(&file[f]))),
            Some(o) => {
                if file_keys[f] != org_keys[o] {
                    out.push(change(
                        format!("{at}.criteria"),
                        render::criteria(&org[o].criteria),
                        render::criteria(&file[f].criteria),
                    ));
                }
                if file[f].score != org[o].score {
                    out.push(change(
                        format!("{at}.score"),
                        org[o].score.to_string(),
                        file[f].score.to_string(),
                    ));
                }
            }
        }
    }
    for o in removed {
        out.push(change(
            "field_rules",
            render::field_rule(&org[o]),
            NONE.into(),
        ));
    }
}

fn signal_rules(org: &RuleFile, file: &RuleFile, out: &mut Vec<Change>) {
    let (org, file) = (&org.signal_rules, &file.signal_rules);
    let (pair, removed) = pair_up(
        file.len(),
        org.len(),
        &[&|f, o| file[f] == org[o], &|f, o| {
            file[f].signal == org[o].signal
        }],
    );
    for (f, p) in pair.iter().enumerate() {
        let at = format!("signal_rules[{f}]");
        match *p {
            Some(o) if org[o].score != file[f].score => out.push(change(
                format!("{at}.score"),
                org[o].score.to_string(),
                file[f].score.to_string(),
            )),
            Some(_) => {}
            None => out.push(change(at, NONE.into(), render::signal_rule(&file[f]))),
        }
    }
    for o in removed {
        out.push(change(
            "signal_rules",
            render::signal_rule(&org[o]),
            NONE.into(),
        ));
    }
}

/// Pairs file items with org items, each pass taking the first free org item it accepts.
/// Returns each file item's org partner and the org items left over.
fn pair_up(
    n_file: usize,
    n_org: usize,
    passes: &[&dyn Fn(usize, usize) -> bool],
) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut free = vec![true; n_org];
    let mut pair: Vec<Option<usize>> = vec![None; n_file];
    for accepts in passes {
        for (f, p) in pair.iter_mut().enumerate() {
            if p.is_some() {
                continue;
            }
            if let Some(o) = (0..n_org).find(|&o| free[o] && accepts(f, o)) {
                free[o] = false;
                *p = Some(o);
            }
        }
    }
    let left = (0..n_org).filter(|&o| free[o]).collect();
    (pair, left)
}

fn custom_fields(org: &RuleFile, file: &RuleFile, out: &mut Vec<Change>) {
    let (org, file) = (&org.custom_fields, &file.custom_fields);
    let pairs = pair_custom_fields(file, org);
    let mut by_file: Vec<(usize, Vec<Change>)> = Vec::new();
    for &(f, o) in &pairs.matched {
        let at = format!("custom_fields[{f}]");
        let mut here = Vec::new();
        if file[f].field_label != org[o].field_label {
            here.push(change(
                format!("{at}.field_label"),
                string(&org[o].field_label),
                string(&file[f].field_label),
            ));
        }
        if !references_agree(&file[f].reference_field, &org[o].reference_field) {
            let r = |x: &Option<String>| x.as_deref().map_or("null".into(), string);
            here.push(change(
                format!("{at}.reference_field"),
                r(&org[o].reference_field),
                r(&file[f].reference_field),
            ));
        }
        by_file.push((f, here));
    }
    for &f in &pairs.unmatched_file {
        let added = change(
            format!("custom_fields[{f}]"),
            NONE.into(),
            render::custom_field(&file[f]),
        );
        by_file.push((f, vec![added]));
    }
    by_file.sort_by_key(|(f, _)| *f);
    out.extend(by_file.into_iter().flat_map(|(_, c)| c));
    for &o in &pairs.unmatched_org {
        out.push(change(
            "custom_fields",
            render::custom_field(&org[o]),
            NONE.into(),
        ));
    }
}
