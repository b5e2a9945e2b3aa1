//! Zoho CRM editions and their scoring-rule limits (B §1.13, Part A #9).

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Edition {
    Standard,
    ZohoOneStandard,
    Professional,
    Developer,
    Enterprise,
    ZohoOneEnterprise,
    CrmPlus,
    Ultimate,
}

/// What an edition allows for scoring rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Layouts a module may have rules for; `None` where the edition has no multiple-layout
    /// support.
    pub layouts: Option<u32>,
    pub active_per_module: u32,
    pub total_per_module: u32,
    /// Leaf conditions across all field rules of one rule.
    pub criteria_per_rule: u32,
    /// Custom fields that scoring rules may create (per module).
    pub custom_fields: u32,
    /// Per layout bucket (each layout, plus one for layout-less rules).
    pub active_per_layout: u32,
    pub total_per_layout: u32,
}

/// Structural limits that hold in every edition (OAS-new).
pub const MAX_NAME_CHARS: usize = 25;
pub const MAX_DESCRIPTION_CHARS: usize = 500;
pub const MIN_SCORE: i64 = -100;
pub const MAX_SCORE: i64 = 100;
pub const MAX_FIELD_RULES: usize = 50;
pub const MAX_SIGNAL_RULES: usize = 250;
pub const MAX_CUSTOM_FIELDS_PER_RULE: usize = 6;
pub const MIN_GROUP: usize = 2;
pub const MAX_GROUP: usize = 25;
pub const MAX_RULES_PER_CREATE: usize = 20;
pub const MAX_RULES_PER_UPDATE: usize = 25;
pub const MAX_RULES_PER_EXECUTE: usize = 5;

impl Edition {
    pub const ALL: [Edition; 8] = [
        Edition::Standard,
        Edition::ZohoOneStandard,
        Edition::Professional,
        Edition::Developer,
        Edition::Enterprise,
        Edition::ZohoOneEnterprise,
        Edition::CrmPlus,
        Edition::Ultimate,
    ];

    pub fn limits(self) -> Limits {
        let single = |criteria| Limits {
            layouts: None,
            active_per_module: 1,
            total_per_module: 1,
            criteria_per_rule: criteria,
            custom_fields: 6,
            active_per_layout: 1,
            total_per_layout: 1,
        };
        let multi = |layouts, active, total, criteria, custom_fields| Limits {
            layouts: Some(layouts),
            active_per_module: active,
            total_per_module: total,
            criteria_per_rule: criteria,
            custom_fields,
            active_per_layout: 5,
            total_per_layout: 10,
        };
        match self {
            Edition::Standard | Edition::ZohoOneStandard => single(10),
            Edition::Professional => single(20),
            Edition::Developer => multi(2, 15, 30, 5, 6),
            Edition::Enterprise | Edition::ZohoOneEnterprise => multi(4, 25, 50, 30, 30),
            Edition::CrmPlus | Edition::Ultimate => multi(7, 40, 80, 50, 30),
        }
    }

    /// Calls an app may have in flight at once for one org; beyond, Zoho answers 429
    /// `TOO_MANY_REQUESTS`. Zoho's API-limits page (v8) gives Standard/Starter 10, Professional
    /// 15, Enterprise/Zoho One 20, Ultimate/CRM Plus 25. It names no Developer edition; it is
    /// given Standard's 10, the lowest paid edition's, so a client sized by it never trips a
    /// Developer org.
    pub fn concurrency(self) -> usize {
        match self {
            Edition::Standard | Edition::ZohoOneStandard | Edition::Developer => 10,
            Edition::Professional => 15,
            Edition::Enterprise | Edition::ZohoOneEnterprise => 20,
            Edition::CrmPlus | Edition::Ultimate => 25,
        }
    }

    /// The name used on the command line, in profiles and in `license_details.paid_type`.
    pub fn slug(self) -> &'static str {
        match self {
            Edition::Standard => "standard",
            Edition::ZohoOneStandard => "zohoone_standard",
            Edition::Professional => "professional",
            Edition::Developer => "developer",
            Edition::Enterprise => "enterprise",
            Edition::ZohoOneEnterprise => "zohoone_enterprise",
            Edition::CrmPlus => "crmplus",
            Edition::Ultimate => "ultimate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Edition::Standard => "Standard",
            Edition::ZohoOneStandard => "Zoho One Standard",
            Edition::Professional => "Professional",
            Edition::Developer => "Developer",
            Edition::Enterprise => "Enterprise",
            Edition::ZohoOneEnterprise => "Zoho One Enterprise",
            Edition::CrmPlus => "CRM Plus",
            Edition::Ultimate => "Ultimate",
        }
    }

    /// Zoho's edition letter(s) in the limits table.
    pub fn code(self) -> &'static str {
        match self {
            Edition::Standard => "S",
            Edition::ZohoOneStandard => "Y",
            Edition::Professional => "P",
            Edition::Developer => "D",
            Edition::Enterprise => "E",
            Edition::ZohoOneEnterprise => "Z",
            Edition::CrmPlus => "C",
            Edition::Ultimate => "U",
        }
    }
}

impl serde::Serialize for Edition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

impl<'de> serde::Deserialize<'de> for Edition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown edition {0:?} (expected one of: standard, zohoone_standard, professional, developer, enterprise, zohoone_enterprise, crmplus, ultimate)"
)]
pub struct UnknownEdition(pub String);

impl FromStr for Edition {
    type Err = UnknownEdition;

    /// Accepts slugs, labels, edition letters and the spellings Zoho uses in `paid_type`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let e = match norm.as_str() {
            "standard" | "starter" | "s" => Edition::Standard,
            "zohoonestandard" | "y" => Edition::ZohoOneStandard,
            "professional" | "p" | "r" => Edition::Professional,
            "developer" | "d" => Edition::Developer,
            "enterprise" | "e" | "a" => Edition::Enterprise,
            "zohooneenterprise" | "zohoone" | "z" => Edition::ZohoOneEnterprise,
            "crmplus" | "c" => Edition::CrmPlus,
            "ultimate" | "u" => Edition::Ultimate,
            _ => return Err(UnknownEdition(s.to_string())),
        };
        Ok(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_totals_follow_layouts_plus_one_buckets() {
        for e in Edition::ALL {
            let l = e.limits();
            if let Some(layouts) = l.layouts {
                assert_eq!(
                    l.active_per_module,
                    (layouts + 1) * l.active_per_layout,
                    "{e}"
                );
                assert_eq!(
                    l.total_per_module,
                    (layouts + 1) * l.total_per_layout,
                    "{e}"
                );
            } else {
                assert_eq!((l.active_per_module, l.total_per_module), (1, 1), "{e}");
            }
        }
    }

    #[test]
    fn slugs_round_trip_and_aliases_parse() {
        for e in Edition::ALL {
            assert_eq!(e.slug().parse::<Edition>(), Ok(e));
            assert_eq!(e.label().parse::<Edition>(), Ok(e));
        }
        assert_eq!("CRM Plus".parse::<Edition>(), Ok(Edition::CrmPlus));
        assert!("gold".parse::<Edition>().is_err());
    }
}
