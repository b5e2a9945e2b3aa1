//! Rule limits (Part A #9): per layout bucket (each layout, plus one bucket for rules without a
//! layout) and per module, each for all rules and for active rules. Only rules of the context's
//! module count.

use super::RuleContext;
use crate::display::quote;
use crate::domain::id::Id;
use crate::domain::violation::{RulePath, Violation, codes};

/// Would adding a rule / activating one in this layout bucket exceed a limit? Used by create
/// (via `check_rule` when `op == Create`), clone (`adds_rule`, `becomes_active`) and activate
/// (`becomes_active` only). The rule itself must not be among `ctx.others`.
///
/// Checked in this order, first hit reported: layout total, layout active, module total,
/// module active. Layout findings sit at `layout.id` (`layout` for a rule without layout, as
/// in the official examples); module findings at `module`.
pub fn check_capacity(
    layout: Option<&Id>,
    becomes_active: bool,
    adds_rule: bool,
    ctx: &RuleContext,
) -> Option<Violation> {
    let limits = ctx.edition.limits();
    let module = &ctx.schema.module.api_name;
    let in_module: Vec<_> = ctx.others.iter().filter(|o| o.module == *module).collect();
    let in_bucket: Vec<_> = in_module
        .iter()
        .filter(|o| o.layout.as_ref() == layout)
        .collect();
    let bucket_active = in_bucket.iter().filter(|o| o.active).count();
    let module_active = in_module.iter().filter(|o| o.active).count();

    let layout_path = match layout {
        Some(_) => RulePath::root().key("layout").key("id"),
        None => RulePath::root().key("layout"),
    };
    let bucket = match layout.and_then(|id| ctx.schema.layout(id)) {
        Some(l) => format!("layout {}", quote(l.label())),
        None if layout.is_some() => "this layout".to_string(),
        None => "rules without a layout".to_string(),
    };
    let edition = ctx.edition.label();
    let over = |count: usize, limit: u32| count >= limit as usize;

    if adds_rule && over(in_bucket.len(), limits.total_per_layout) {
        let limit = limits.total_per_layout;
        return Some(
            Violation::new(
                codes::LIMIT_EXCEEDED,
                format!("More than {limit} scoring rules cannot be created for a layout"),
                layout_path,
            )
            .detail("limit", limit)
            .hint(format!(
                "{bucket} already has {} rules; the {edition} edition allows {limit}",
                in_bucket.len()
            )),
        );
    }
    if becomes_active && over(bucket_active, limits.active_per_layout) {
        let limit = limits.active_per_layout;
        return Some(
            Violation::new(
                codes::ACTIVE_STATE_LIMIT_EXCEEDED,
                format!("More than {limit} active scoring rules cannot be created for a layout"),
                layout_path,
            )
            .detail("limit", limit)
            .hint(format!(
                "{bucket} already has {bucket_active} active rules; the {edition} edition allows {limit}"
            )),
        );
    }
    let module_path = RulePath::root().key("module");
    if adds_rule && over(in_module.len(), limits.total_per_module) {
        let limit = limits.total_per_module;
        return Some(
            Violation::new(
                codes::LIMIT_EXCEEDED,
                format!("More than {limit} scoring rules cannot be created for a module"),
                module_path,
            )
            .detail("limit", limit)
            .hint(format!(
                "{} already has {} rules; the {edition} edition allows {limit}",
                quote(module),
                in_module.len()
            )),
        );
    }
    if becomes_active && over(module_active, limits.active_per_module) {
        let limit = limits.active_per_module;
        return Some(
            Violation::new(
                codes::ACTIVE_STATE_LIMIT_EXCEEDED,
                "You have exceeded the number of active rules possible for your account",
                module_path,
            )
            .detail("limit", limit)
            .hint(format!(
                "{} already has {module_active} active rules; the {edition} edition allows {limit}",
                quote(module)
            )),
        );
    }
    None
}
