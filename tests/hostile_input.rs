//! Org text built to attack a terminal or a spreadsheet renders inert in `zscore audit`: table,
//! CSV and JSON. The API refuses control and bidi characters in names and descriptions (checked
//! here over HTTP), so the hostile names (escape sequences, bidi, zero-width, 10,000
//! characters, formula prefixes) are put straight into the sandbox's store, as a compromised or
//! foreign org could serve them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, RULES, leads_rule};
use serde_json::{Value, json};
use zscore::display::display_width;
use zscore::domain::Id;

/// Clear screen, colour, an OSC 8 hyperlink, an OSC 52 clipboard write, C1 CSI, bidi override
/// and isolates, zero-width characters.
const ATTACK: &str = "Hot\u{1b}[2J\u{1b}[31mRED\u{1b}]8;;https://evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{9b}1m\u{202e}gnp.exe\u{2066}iso\u{2069}zero\u{200b}width\u{feff}end";

/// Formula-injection prefixes a spreadsheet would run.
const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://evil\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tx=1",
    "\rx=1",
];

fn long_hostile_name() -> String {
    format!("{ATTACK}{}", "N".repeat(10_000))
}

fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

struct Org {
    h: Harness,
    hostile_id: String,
}

/// A rule with the attack in its description (over HTTP), then the attack and 10,000
/// characters as its name, one rule per formula prefix, and an attack as the org's name.
async fn hostile_org() -> Org {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut rule = leads_rule("Hostile", &layout);
    rule["active"] = json!(true);
    let hostile_id = h.create(rule.clone()).await;

    for (key, value) in [("description", ATTACK), ("name", "Evil\u{202e}name")] {
        let mut attack = rule.clone();
        attack[key] = json!(value);
        let refused = h.post(RULES, json!({"scoring_rules": [attack]})).await;
        assert_eq!(
            refused.code(0),
            "INVALID_DATA",
            "the API refuses control and bidi characters in a {key}: {}",
            refused.body
        );
    }

    let mut formula_ids = Vec::new();
    for (i, _) in FORMULAS.iter().enumerate() {
        formula_ids.push(h.create(leads_rule(&format!("Formula {i}"), &layout)).await);
    }
    {
        let mut org = h.sandbox.state.write_org();
        let hostile = org.rules.get_mut(&Id::new(&hostile_id)).unwrap();
        hostile.name = long_hostile_name();
        hostile.description = Some(ATTACK.to_string());
        for (id, name) in formula_ids.iter().zip(FORMULAS) {
            org.rules.get_mut(&Id::new(id)).unwrap().name = name.to_string();
        }
        org.info["company_name"] = json!(format!("Org{ATTACK}"));
    }
    Org { h, hostile_id }
}

async fn audit(org: &Org, args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"));
    cmd.arg("--sandbox-url")
        .arg(&org.h.sandbox.url)
        .arg("audit")
        .args(args)
        .env("COLUMNS", "100")
        .env("ZSCORE_CONFIG_DIR", home.path().join("config"))
        .env("ZSCORE_DATA_DIR", home.path().join("data"))
        .stdin(std::process::Stdio::null());
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[tokio::test]
async fn the_audit_table_is_inert_and_fits_the_width() {
    let org = hostile_org().await;
    let out = audit(&org, &["--all", "--module", "Leads"]).await;
    assert!(!out.contains('\u{1b}'), "no ESC byte");
    if let Some(c) = out.chars().find(|c| is_dangerous(*c)) {
        panic!("control or bidi U+{:04X} in the table:\n{out}", c as u32);
    }
    assert!(
        out.contains("Hot\\u{1b}[2J"),
        "the name is shown, escaped: {out}"
    );
    assert!(
        !out.contains(&"N".repeat(200)),
        "10,000 characters truncated"
    );
    for line in out.lines() {
        assert!(
            display_width(line) <= 100,
            "{} columns: {line}",
            display_width(line)
        );
    }
}

/// Cells of one CSV text (RFC 4180 quoting).
fn csv_cells(text: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',' | '\n', false) => cells.push(std::mem::take(&mut cell)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

#[tokio::test]
async fn the_audit_csv_is_inert_and_defuses_formulas() {
    let org = hostile_org().await;
    let out = audit(&org, &["--all", "--module", "Leads", "--format", "csv"]).await;
    assert!(!out.contains('\u{1b}'), "no ESC byte");
    let cells = csv_cells(&out);
    for cell in &cells {
        // Scores zscore writes itself stay numbers (-20 is no formula).
        let number = cell.parse::<i64>().is_ok();
        assert!(
            number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a live formula cell: {cell:?}"
        );
        // Tabs and line breaks inside a quoted cell are data.
        if let Some(c) = cell
            .chars()
            .find(|c| is_dangerous(*c) && !matches!(c, '\t' | '\r'))
        {
            panic!("control or bidi U+{:04X} in cell {cell:?}", c as u32);
        }
    }
    assert!(
        cells.iter().any(|c| c.starts_with("Hot\\u{1b}[2J")),
        "the hostile name is there, escaped"
    );
    for f in FORMULAS {
        // A lone carriage return is shown escaped: raw, it would move the cursor back over the
        // line already on screen.
        let f = f.replace('\r', "\\u{d}");
        assert!(
            cells.iter().any(|c| *c == format!("'{f}")),
            "{f:?} is kept, quoted as text: {:?}",
            cells
                .iter()
                .filter(|c| c.contains("HYPER"))
                .collect::<Vec<_>>()
        );
    }
}

#[tokio::test]
async fn the_audit_json_escapes_everything() {
    let org = hostile_org().await;
    let out = audit(&org, &["--all", "--module", "Leads", "--format", "json"]).await;
    if let Some(c) = out.chars().find(|c| is_dangerous(*c)) {
        panic!("raw control or bidi U+{:04X} in the JSON", c as u32);
    }
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    let text = v.to_string();
    assert!(
        text.contains("zero\u{200b}width") || text.contains("zero\\u200bwidth"),
        "the name survives as data: {}",
        &text[..text.len().min(2000)]
    );
    let row = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == org.hostile_id.as_str())
        .expect("the hostile rule is in the JSON");
    assert_eq!(
        row["rule_name"].as_str().unwrap(),
        long_hostile_name(),
        "escaped, not altered: a JSON reader gets the org's exact name"
    );
}
