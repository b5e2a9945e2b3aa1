//! A record's display name, read from its module's own fields, so previews, explanations and
//! verification reports can say "Ann Lee (Acme Corp)" instead of a 19-digit id.
//!
//! The fields are asked for in the same records request as the fields the rules read, so a
//! name costs no extra call:
//! - Leads: `Full_Name` (or `First_Name` + `Last_Name`), with `Company`;
//! - Contacts: the same, with `Account_Name` (a lookup: its name);
//! - Accounts: `Account_Name`; Deals: `Deal_Name`;
//! - any other module (custom modules, the only others Zoho scores): `Name`.
//!
//! Names are org text: whoever shows one passes it through `display::sanitize`.

use crate::display::sanitize;
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::record::{FieldValue, Record};

/// The fields a module's record names are made of, whether or not the module has them.
pub fn name_fields(module: &str) -> &'static [&'static str] {
    match module.to_ascii_lowercase().as_str() {
        "leads" => &["Full_Name", "First_Name", "Last_Name", "Company"],
        "contacts" => &["Full_Name", "First_Name", "Last_Name", "Account_Name"],
        "accounts" => &["Account_Name"],
        "deals" => &["Deal_Name"],
        _ => &["Name"],
    }
}

/// The name fields `schema` has: asking the records API for a field the module lacks fails
/// the whole request.
pub fn fields_in(schema: &ModuleSchema) -> impl Iterator<Item = &'static str> + '_ {
    name_fields(&schema.module.api_name)
        .iter()
        .copied()
        .filter(|f| schema.field(f).is_some())
}

/// The display name of `record` (typed by `schema`, as `records::to_record` makes it), or
/// `None` when none of its name fields has a value.
pub fn record_name(schema: &ModuleSchema, record: &Record) -> Option<String> {
    let text = |field: &str| {
        let i = schema.fields.iter().position(|f| f.api_name == field)?;
        text_of(record.values.get(i)?)
    };
    let person = || {
        text("Full_Name").or_else(|| {
            let parts: Vec<String> = ["First_Name", "Last_Name"]
                .iter()
                .filter_map(|f| text(f))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
    };
    match schema.module.api_name.to_ascii_lowercase().as_str() {
        "leads" => person_with(person(), text("Company")),
        "contacts" => person_with(person(), text("Account_Name")),
        "accounts" => text("Account_Name"),
        "deals" => text("Deal_Name"),
        _ => text("Name"),
    }
}

fn person_with(person: Option<String>, company: Option<String>) -> Option<String> {
    match (person, company) {
        (Some(p), Some(c)) => Some(format!("{p} ({c})")),
        (p, c) => p.or(c),
    }
}

/// A text value, a number, or a lookup's name; blank counts as none.
fn text_of(v: &FieldValue) -> Option<String> {
    let s = match v {
        FieldValue::Text(s) => s.trim().to_string(),
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Lookup(l) => l.name.trim().to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// "Ann Lee (Acme Corp) · 5843104000000403202", or the id alone; sanitized for a terminal.
pub fn label(name: Option<&str>, id: &Id) -> String {
    match name {
        Some(n) => format!("{} · {id}", sanitize(n)),
        None => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::records::to_record;
    use serde_json::{Value, json};

    /// A schema of `module` with every name field (lookups where Zoho has them).
    fn schema(module: &str) -> ModuleSchema {
        serde_json::from_value(json!({
            "module": {"id": "1", "api_name": module},
            "layouts": [],
            "fields": [
                {"id": "2", "api_name": "Full_Name", "data_type": "text"},
                {"id": "3", "api_name": "First_Name", "data_type": "text"},
                {"id": "4", "api_name": "Last_Name", "data_type": "text"},
                {"id": "5", "api_name": "Company", "data_type": "text"},
                {"id": "6", "api_name": "Account_Name",
                 "data_type": if module == "Accounts" { "text" } else { "lookup" }},
                {"id": "7", "api_name": "Deal_Name", "data_type": "text"},
                {"id": "8", "api_name": "Name", "data_type": "text"}
            ]
        }))
        .unwrap()
    }

    /// The name of a records API object.
    fn name(module: &str, mut obj: Value) -> Option<String> {
        obj["id"] = json!("1");
        let schema = schema(module);
        record_name(&schema, &to_record(&obj, &schema).unwrap())
    }

    #[test]
    fn leads_are_the_person_with_their_company() {
        let full = json!({"Full_Name": "Ann Lee", "First_Name": "Ann", "Last_Name": "Lee", "Company": "Acme"});
        assert_eq!(name("Leads", full).as_deref(), Some("Ann Lee (Acme)"));
        // No Full_Name (not asked for, or blank): first and last name.
        let parts =
            json!({"Full_Name": " ", "First_Name": "Ann", "Last_Name": "Lee", "Company": "Acme"});
        assert_eq!(name("Leads", parts).as_deref(), Some("Ann Lee (Acme)"));
        // First name is optional in Zoho; the company alone still names the lead.
        let last = json!({"First_Name": null, "Last_Name": "Lee"});
        assert_eq!(name("Leads", last).as_deref(), Some("Lee"));
        assert_eq!(
            name("Leads", json!({"Company": "Acme"})).as_deref(),
            Some("Acme")
        );
    }

    #[test]
    fn contacts_are_the_person_with_their_account() {
        let c = json!({"Full_Name": "Bo Chen", "Account_Name": {"name": "Globex", "id": "9"}});
        assert_eq!(name("Contacts", c).as_deref(), Some("Bo Chen (Globex)"));
        let no_account = json!({"First_Name": "Bo", "Last_Name": "Chen", "Account_Name": null});
        assert_eq!(name("Contacts", no_account).as_deref(), Some("Bo Chen"));
    }

    #[test]
    fn accounts_deals_and_custom_modules_use_their_own_name_field() {
        let a = json!({"Account_Name": "Initech", "Deal_Name": "x", "Name": "y"});
        assert_eq!(name("Accounts", a).as_deref(), Some("Initech"));
        let d =
            json!({"Deal_Name": "Initech renewal", "Account_Name": {"name": "Initech", "id": "1"}});
        assert_eq!(name("Deals", d).as_deref(), Some("Initech renewal"));
        let p = json!({"Name": "Northwind Partners", "Full_Name": "x"});
        assert_eq!(
            name("Partners", p.clone()).as_deref(),
            Some("Northwind Partners")
        );
        assert_eq!(
            name("Partners__c", p).as_deref(),
            Some("Northwind Partners")
        );
    }

    #[test]
    fn a_record_without_a_name_has_none_and_is_shown_by_id() {
        assert_eq!(name("Deals", json!({})), None);
        assert_eq!(name("Accounts", json!({"Account_Name": ""})), None);
        assert_eq!(label(None, &Id::new("5843")), "5843");
    }

    #[test]
    fn a_label_is_name_first_then_id_and_inert() {
        assert_eq!(
            label(Some("Ann Lee (Acme)"), &Id::new("58")),
            "Ann Lee (Acme) · 58"
        );
        assert_eq!(
            label(Some("A\u{1b}[2JB"), &Id::new("1")),
            "A\\u{1b}[2JB · 1"
        );
    }

    #[test]
    fn only_fields_the_module_has_are_asked_for() {
        let schema: ModuleSchema = serde_json::from_value(json!({
            "module": {"id": "1", "api_name": "Leads"},
            "layouts": [],
            "fields": [
                {"id": "2", "api_name": "Company", "data_type": "text"},
                {"id": "3", "api_name": "Last_Name", "data_type": "text"}
            ]
        }))
        .unwrap();
        assert_eq!(
            fields_in(&schema).collect::<Vec<_>>(),
            ["Last_Name", "Company"]
        );
        assert_eq!(name_fields("Deals"), ["Deal_Name"]);
        assert_eq!(name_fields("Vendors_X"), ["Name"]);
    }
}
