//! A layout as a person names it on a command line: its id, its API name or its label, the
//! same way for every command that takes one.

use super::metadata::Layout;

/// The layout `wanted` names among `layouts` (of `module`, for the message): an exact id, API
/// name or label first, then an API name or label ignoring case. A name that fits none, or
/// (ignoring case) more than one, is an error listing what there is.
pub fn find_layout<'a>(
    layouts: &'a [Layout],
    module: &str,
    wanted: &str,
) -> Result<&'a Layout, String> {
    let wanted = wanted.trim();
    let exact =
        |l: &&Layout| l.id.as_str() == wanted || l.api_name() == wanted || l.label() == wanted;
    if let Some(l) = layouts.iter().find(exact) {
        return Ok(l);
    }
    let close: Vec<&Layout> = layouts
        .iter()
        .filter(|l| {
            l.api_name().eq_ignore_ascii_case(wanted) || l.label().eq_ignore_ascii_case(wanted)
        })
        .collect();
    match close.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no layout {wanted:?} in {module} (give its id, API name or label: {})",
            known(layouts)
        )),
        many => Err(format!(
            "{wanted:?} names {} layouts of {module} ignoring case; give the id or the exact name: {}",
            many.len(),
            known(many.iter().copied())
        )),
    }
}

/// `Standard ("Standard", id 58…), Partner_Intake ("Partner intake", id 58…)`.
fn known<'a>(layouts: impl IntoIterator<Item = &'a Layout>) -> String {
    let all: Vec<String> = layouts
        .into_iter()
        .map(|l| format!("{} ({:?}, id {})", l.api_name(), l.label(), l.id))
        .collect();
    if all.is_empty() {
        "it has none".into()
    } else {
        all.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Id;

    fn layout(id: &str, api: &str, label: &str) -> Layout {
        Layout {
            id: Id::new(id),
            name: api.into(),
            api_name: Some(api.into()),
            display_label: Some(label.into()),
            status: None,
            visible: None,
            generated_type: None,
            sections: Vec::new(),
        }
    }

    #[test]
    fn a_layout_is_found_by_id_api_name_or_label() {
        let all = [
            layout("101", "Standard", "Standard"),
            layout("102", "Partner_Intake", "Partner intake"),
        ];
        for name in [
            "102",
            "Partner_Intake",
            "Partner intake",
            "partner INTAKE",
            " 102 ",
        ] {
            assert_eq!(
                find_layout(&all, "Leads", name).map(|l| l.id.as_str()),
                Ok("102"),
                "{name}"
            );
        }
        let err = find_layout(&all, "Leads", "Nope").unwrap_err();
        assert!(err.contains("no layout \"Nope\" in Leads"), "{err}");
        assert!(
            err.contains("Partner_Intake (\"Partner intake\", id 102)"),
            "{err}"
        );
    }

    #[test]
    fn exact_beats_ignoring_case_and_two_close_matches_are_ambiguous() {
        let all = [layout("101", "Web", "web"), layout("102", "WEB_2", "WEB")];
        assert_eq!(
            find_layout(&all, "Leads", "WEB").map(|l| l.id.as_str()),
            Ok("102")
        );
        let err = find_layout(&all, "Leads", "wEb").unwrap_err();
        assert!(err.contains("names 2 layouts"), "{err}");
    }
}
