use super::*;
use crate::domain::rule::{Comparator, FieldRef};

fn cond(field: &str) -> Condition {
    Condition {
        field: FieldRef {
            api_name: field.into(),
            id: None,
        },
        comparator: Comparator::Equal,
        value: serde_json::json!("x"),
        kind: None,
        disrupted: None,
    }
}

fn err(text: &str, n: usize) -> PatternError {
    parse(text, n).expect_err(text)
}

#[test]
fn reads_the_shapes_zoho_builds() {
    use GroupOperator::{And, Or};
    let c = Pattern::Condition;
    assert_eq!(parse("1", 1).unwrap(), c(1));
    assert_eq!(
        parse("1 AND 2", 2).unwrap(),
        Pattern::Group(And, vec![c(1), c(2)])
    );
    assert_eq!(
        parse("1 or (2 and 3)", 3).unwrap(),
        Pattern::Group(Or, vec![c(1), Pattern::Group(And, vec![c(2), c(3)])])
    );
    assert_eq!(
        parse("(1 AND 2) OR (3 AND 4)", 4).unwrap(),
        Pattern::Group(
            Or,
            vec![
                Pattern::Group(And, vec![c(1), c(2)]),
                Pattern::Group(And, vec![c(3), c(4)])
            ]
        )
    );
    // Redundant parentheses around the whole pattern or a number are allowed.
    assert_eq!(parse("((1))", 1).unwrap(), c(1));
    assert_eq!(
        parse("(1 AND 2)", 2).unwrap(),
        Pattern::Group(And, vec![c(1), c(2)])
    );
}

#[test]
fn errors_point_at_the_column_and_say_what_to_do() {
    let e = err("1 AND 5", 3);
    assert_eq!(e.column, 7);
    assert!(e.message.contains("no condition 5"), "{e}");
    assert!(e.message.contains("1 to 3"), "{e}");

    let e = err("1 AND 2 OR 1", 2);
    assert_eq!(e.column, 9);
    assert!(e.message.contains("AND and OR are mixed"), "{e}");

    let e = err("1 AND 1", 2);
    assert_eq!(e.column, 7);
    assert!(e.message.contains("condition 1 is used twice"), "{e}");

    let e = err("1 AND 2", 4);
    assert_eq!(e.column, 8, "points past the end");
    assert!(
        e.message.contains("conditions 3, 4 are not in the pattern"),
        "{e}"
    );

    let e = err("(1 AND 2", 2);
    assert_eq!(e.column, 1);
    assert!(e.message.contains("never closed"), "{e}");

    let e = err("1 AND 2)", 2);
    assert_eq!(e.column, 8);
    assert!(e.message.contains("closes nothing"), "{e}");

    let e = err("1 2", 2);
    assert_eq!(e.column, 3);
    assert!(
        e.message
            .contains("operator (AND or OR) is missing before 2"),
        "{e}"
    );

    let e = err("1 AND", 1);
    assert_eq!(e.column, 6);
    assert!(
        e.message
            .contains("ends where a condition number should follow"),
        "{e}"
    );

    let e = err("AND 1", 1);
    assert_eq!(e.column, 1);

    let e = err("1 XOR 2", 2);
    assert_eq!(e.column, 3);
    assert!(e.message.contains("“XOR” is not AND or OR"), "{e}");

    let e = err("1 & 2", 2);
    assert_eq!(e.column, 3);

    let e = err("()", 0);
    assert!(e.message.contains("holds nothing"), "{e}");

    let e = err("  ", 2);
    assert!(
        e.message.contains("1 AND 2"),
        "an empty pattern suggests one: {e}"
    );
}

#[test]
fn mixing_and_or_suggests_the_and_before_or_grouping() {
    assert!(err("1 AND 2 OR 3", 3).message.ends_with("(1 AND 2) OR 3"));
    assert!(err("1 OR 2 AND 3", 3).message.ends_with("1 OR (2 AND 3)"));
    assert!(
        err("1 AND 2 OR 3 AND 4", 4)
            .message
            .ends_with("(1 AND 2) OR (3 AND 4)")
    );
    assert!(
        err("(1 OR 2) AND 3 OR 4", 4)
            .message
            .ends_with("((1 OR 2) AND 3) OR 4")
    );
}

#[test]
fn split_and_join_keep_the_exact_tree() {
    let tree = Criteria::Group(Group {
        group_operator: GroupOperator::Or,
        group: vec![
            Criteria::Condition(cond("Industry")),
            Criteria::Group(Group {
                group_operator: GroupOperator::And,
                group: vec![
                    Criteria::Condition(cond("Title")),
                    Criteria::Condition(cond("Country")),
                ],
            }),
        ],
    });
    let (conditions, pattern) = split(&tree);
    assert_eq!(conditions.len(), 3);
    assert_eq!(conditions[1].field.api_name, "Title");
    assert_eq!(text(&pattern), "1 OR (2 AND 3)");
    let reread = parse(&text(&pattern), conditions.len()).unwrap();
    assert_eq!(join(&conditions, &reread).unwrap(), tree);
}

#[test]
fn flat_patterns_for_new_rules() {
    assert_eq!(flat(1, GroupOperator::And), "1");
    assert_eq!(flat(3, GroupOperator::Or), "1 OR 2 OR 3");
}

#[test]
fn removing_a_condition_renumbers_and_collapses_its_group() {
    let p = |t: &str, n| parse(t, n).unwrap();
    let removed = |t: &str, n, k| remove(&p(t, n), k).map(|x| text(&x));
    assert_eq!(removed("1 OR (2 AND 3)", 3, 2).as_deref(), Some("1 OR 2"));
    assert_eq!(removed("1 OR (2 AND 3)", 3, 1).as_deref(), Some("1 AND 2"));
    assert_eq!(
        removed("(1 AND 2) OR (3 AND 4)", 4, 3).as_deref(),
        Some("(1 AND 2) OR 3")
    );
    assert_eq!(removed("1", 1, 1), None);
    // What is left always reads back over one condition fewer.
    let left = removed("(1 OR 2) AND (3 OR (4 AND 5))", 5, 4).unwrap();
    assert_eq!(left, "(1 OR 2) AND (3 OR 4)");
    assert!(parse(&left, 4).is_ok());
}

#[test]
fn appending_uses_the_top_levels_operator_and_switching_flips_only_it() {
    let p = |t: &str, n| parse(t, n).unwrap();
    assert_eq!(
        text(&append(&p("1 OR (2 AND 3)", 3), 4)),
        "1 OR (2 AND 3) OR 4"
    );
    assert_eq!(text(&append(&p("1", 1), 2)), "1 AND 2");
    assert_eq!(
        text(&switch_top(&p("1 OR (2 AND 3)", 3))),
        "1 AND (2 AND 3)"
    );
    assert_eq!(top_operator(&p("1 OR 2", 2)), GroupOperator::Or);
}

#[test]
fn a_path_of_group_indices_names_its_condition() {
    let pat = parse("1 OR (2 AND 3)", 3).unwrap();
    assert_eq!(condition_at(&pat, &[1, 1]), Some(3));
    assert_eq!(condition_at(&pat, &[0]), Some(1));
    assert_eq!(condition_at(&pat, &[1]), None);
    assert_eq!(condition_at(&pat, &[5]), None);
}
