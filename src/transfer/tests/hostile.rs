//! Rule names (and api_names) that would make dangerous or unportable file names: they are
//! exported under safe names, read back, and still match their rules.

use super::*;
use crate::transfer::{SIDECAR, read_dir};

const HOSTILE: [&str; 14] = [
    "a/b",
    "a_b",
    "..",
    ".hidden",
    "x\u{1b}[31mred",
    "\u{202E}gpj.exe",
    "../../etc/passwd",
    "C:\\Windows",
    "CON",
    "nul.txt",
    "trailing dot.",
    "   ",
    "Q1: hot?",
    "  .  ",
];

fn hostile_snapshot() -> OrgSnapshot {
    let mut snap = snapshot();
    for (rule, name) in snap.rules.iter_mut().zip(HOSTILE) {
        rule.name = name.to_string();
    }
    snap
}

#[test]
fn hostile_names_become_safe_distinct_file_names() {
    let files = files_of(&hostile_snapshot());
    let mut seen = std::collections::HashSet::new();
    for f in files.iter().filter(|f| f.rel_path != SIDECAR) {
        let parts: Vec<&str> = f.rel_path.split('/').collect();
        assert_eq!(parts.len(), 3, "{}", f.rel_path);
        let name = parts[2];
        assert!(name.ends_with(".json"), "{name}");
        assert!(!name.starts_with('.'), "{name}");
        assert!(
            !name
                .chars()
                .any(|c| c.is_control() || "\\:*?\"<>|".contains(c)),
            "{name:?}"
        );
        assert!(
            seen.insert(f.rel_path.to_lowercase()),
            "{} twice",
            f.rel_path
        );
    }
    let names: Vec<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
    for expected in [
        "Leads/Standard/a_b.json",
        "Leads/Standard/a_b (2).json",
        "Leads/Standard/__.json",
        "Leads/Partner_Referral/_hidden.json",
    ] {
        assert!(names.contains(&expected), "{expected} not in {names:#?}");
    }
}

#[test]
fn hostile_names_survive_the_round_trip() {
    let snap = hostile_snapshot();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &files_of(&snap));
    // Nothing was written outside the export directory.
    let outside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        outside
            .iter()
            .all(|n| n == SIDECAR || snap.module(n).is_some()),
        "{outside:?}"
    );
    let set = read_dir(dir.path()).unwrap();
    let mut names: Vec<&str> = set.rules.iter().map(|r| r.rule.name.as_str()).collect();
    names.sort_unstable();
    let mut expected: Vec<&str> = snap.rules.iter().map(|r| r.name.as_str()).collect();
    expected.sort_unstable();
    assert_eq!(names, expected);
    assert!(plan(&set, &snap).unwrap().is_noop());
}

#[test]
fn hostile_names_are_escaped_in_the_plan() {
    let snap = hostile_snapshot();
    let mut files = files_of(&snap);
    let leads_layouts: Vec<String> = files
        .iter()
        .filter(|f| f.rel_path.starts_with("Leads/"))
        .map(|f| f.rel_path.rsplit_once('/').unwrap().0.to_string())
        .collect();
    files.retain(|f| !f.rel_path.starts_with("Leads/"));
    let set = set_of(&files);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &files);
    // Leads' layout directories, emptied: their rules are listed as kept without a file.
    for l in &leads_layouts {
        std::fs::create_dir_all(dir.path().join(l)).unwrap();
    }
    let set_with_leads = read_dir(dir.path()).unwrap();
    assert!(plan(&set, &snap).unwrap().is_noop());
    let rendered = plan(&set_with_leads, &snap).unwrap().render();
    assert!(
        !rendered.contains('\u{1b}') && !rendered.contains('\u{202E}'),
        "{rendered}"
    );
    assert!(
        rendered.contains(r#"Leads rule "x\u001b[31mred""#),
        "{rendered}"
    );
    assert!(
        rendered.contains(r#"Leads rule "\u202egpj.exe""#),
        "{rendered}"
    );
}

#[test]
fn api_names_that_are_not_safe_directory_names_are_refused() {
    let mut snap = snapshot();
    snap.rules[0].module.api_name = "../Leads".into();
    let err = export(&snap, &[]).unwrap_err().to_string();
    assert_eq!(
        err,
        "../Leads rule \"Inbound Demand\": module: \"../Leads\" cannot be used as a directory name"
    );
    let mut snap = snapshot();
    if let Some(l) = snap.rules[0].layout.as_mut() {
        l.api_name = Some(".git".into());
    }
    let err = export(&snap, &[]).unwrap_err().to_string();
    assert!(
        err.ends_with("layout: \".git\" cannot be used as a directory name"),
        "{err}"
    );
}
