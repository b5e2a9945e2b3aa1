//! The state file's layout and how an existing file is recognised as ours.

/// `PRAGMA application_id`: marks a SQLite file as a zscore sandbox state file ("ZSCO").
pub const APPLICATION_ID: i32 = 0x5A53_434F;
/// `PRAGMA user_version`: bumped whenever the tables below change incompatibly.
pub const SCHEMA_VERSION: i32 = 1;

/// Records are written once, at seeding (nothing in the API changes them); rules, module
/// schemas and entity scores one row per change; `meta` holds the org-wide singletons.
/// Records keep a rowid: their ~1 KB rows would spill into overflow pages in a WITHOUT ROWID
/// b-tree and triple the file.
pub const TABLES: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE modules (
    seq INTEGER PRIMARY KEY,
    api_name TEXT NOT NULL UNIQUE,
    schema TEXT NOT NULL,
    score_fields TEXT NOT NULL
);
CREATE TABLE records (
    seq INTEGER PRIMARY KEY,
    module TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX records_by_module ON records (module, seq);
CREATE TABLE rules (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE scores (
    module TEXT NOT NULL,
    record_id TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    row_id TEXT NOT NULL,
    positive INTEGER NOT NULL,
    negative INTEGER NOT NULL,
    touch_positive INTEGER NOT NULL,
    touch_negative INTEGER NOT NULL,
    matched_field_rules INTEGER NOT NULL,
    matched_signal_rules INTEGER NOT NULL,
    PRIMARY KEY (module, record_id, rule_id)
) WITHOUT ROWID;
CREATE INDEX scores_by_rule ON scores (module, rule_id);
CREATE TABLE jobs (id TEXT PRIMARY KEY, module TEXT NOT NULL, rule_ids TEXT NOT NULL) WITHOUT ROWID;
";
