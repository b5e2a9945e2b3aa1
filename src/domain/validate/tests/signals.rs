//! Signal rules: people modules only, known and scoring-enabled signals, scores, repeats.

use rstest::rstest;
use serde_json::{Value, json};

use super::super::fixtures::{BOUNCE, CLICK, NOT_PICKED, OPEN, deals_item, leads_item};
use super::{check_deals, check_leads, edit, found, only};
use crate::domain::violation::codes;

fn signal(id: &str, namespace: &str, score: i64) -> Value {
    json!({"score": score, "signal": {"namespace": namespace, "id": id}})
}

fn with_signals(signals: Vec<Value>) -> Value {
    edit(&leads_item(), "/signal_rules", Some(json!(signals)))
}

#[test]
fn signal_rules_on_deals_are_not_supported() {
    let item = edit(
        &deals_item(),
        "/signal_rules",
        Some(json!([signal(OPEN, "EmailInsight_Open__s", 5)])),
    );
    let v = only(check_deals(&item));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::NOT_SUPPORTED, "signal_rules".into())
    );
    assert_eq!(
        v.message,
        "You have specified Signal rules for non-people module"
    );
    assert_eq!(
        v.hint,
        "only Leads and Contacts take signal rules, not \"Deals\""
    );
}

#[test]
fn deals_with_only_signal_rules_are_refused_for_the_signals() {
    let item = json!({"name": "d", "module": {"api_name": "Deals"},
        "signal_rules": [signal(OPEN, "EmailInsight_Open__s", 5)]});
    let codes: Vec<_> = found(&check_deals(&item))
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert_eq!(codes, vec![codes::NOT_SUPPORTED]);
}

#[rstest]
#[case::unknown_id("5999", "EmailInsight_Open__s", "there is no signal with id 5999")]
#[case::not_for_scoring(
    NOT_PICKED,
    "Telephony_NotPicked__s",
    "signal \"Telephony · Not picked\" cannot be used for scoring"
)]
#[case::namespace_of_another(
    OPEN,
    "EmailInsight_Click__s",
    "signal 5001 is \"Email · Open\", whose namespace is \"EmailInsight_Open__s\", not \"EmailInsight_Click__s\""
)]
fn signals_must_be_known_and_usable(#[case] id: &str, #[case] namespace: &str, #[case] hint: &str) {
    let v = only(check_leads(&with_signals(vec![signal(id, namespace, 5)])));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::INVALID_DATA, "signal_rules[0].signal.id".into())
    );
    assert_eq!(v.message, "Invalid or Unsupported signal id");
    assert_eq!(v.hint, hint);
}

#[test]
fn dotted_namespaces_are_opaque_strings() {
    assert_eq!(
        found(&check_leads(&with_signals(vec![signal(
            BOUNCE,
            "zoho.emailinsight.bounce",
            -99
        )]))),
        vec![]
    );
}

#[rstest]
#[case(-101, false)]
#[case(-100, true)]
#[case(100, true)]
#[case(101, false)]
fn signal_rule_scores(#[case] score: i64, #[case] ok: bool) {
    let vs = check_leads(&with_signals(vec![signal(
        CLICK,
        "EmailInsight_Click__s",
        score,
    )]));
    if ok {
        assert_eq!(found(&vs), vec![]);
    } else {
        let v = only(vs);
        assert_eq!(v.path.to_string(), "signal_rules[0].score");
        assert_eq!(
            v.hint,
            format!("score must be an integer from -100 to 100 ({score})")
        );
    }
}

#[test]
fn a_signal_is_scored_once_per_rule() {
    let item = with_signals(vec![
        signal(OPEN, "EmailInsight_Open__s", 5),
        signal(CLICK, "EmailInsight_Click__s", 5),
        signal(OPEN, "EmailInsight_Open__s", -5),
    ]);
    let v = only(check_leads(&item));
    assert_eq!(
        (v.code, v.path.to_string()),
        (codes::ALREADY_USED, "signal_rules[2].signal".into())
    );
    assert_eq!(
        v.details["exists_in"],
        json!({"api_name": "signal", "json_path": "$.signal_rules[0].signal"})
    );
    assert_eq!(
        v.hint,
        "\"Email · Open\" is already scored by another signal rule of this rule"
    );
}
