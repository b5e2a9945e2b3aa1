//! Deterministic demo records.
//!
//! Each field's generator (`gen` in the seed, else a default for its data type) is compiled once
//! into a `Plan`, checked against the field's type, and then run per record. Each module draws
//! from its own SplitMix64 stream, seeded from the manifest seed and the module's name, so
//! editing one module's fields does not reshuffle the random draws of the others.
//!
//! A record first draws a "person" (name, company, country, times, owner); fields then read from
//! it, so the email matches the name and the company, the city matches the country, and
//! Modified_Time comes after Created_Time. Fields that depend on other fields of the record
//! (email, totals, …) run in a second pass.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::files::Gen;
use super::intern::Interner;
use super::names::{
    COMPANY_CORES, COMPANY_HEADS, COMPANY_TAILS, COUNTRIES, DEAL_SUFFIXES, DEPARTMENTS,
    FIRST_NAMES, JOB_TITLES, LAST_NAMES, PERSONAL_DOMAINS, SENTENCES,
};
use super::rng::{SplitMix64, Weighted, fnv1a};
use super::schema::{BuiltModule, BuiltSignals, BuiltUsers, FieldExtra};
use super::{IdGen, MAX_DAYS_FROM_NOW, SeedError};
use crate::domain::record::{LookupValue, SignalEvents};
use crate::domain::{DataType, Field, FieldValue, Id, Record};

pub(super) struct Inputs<'a> {
    pub modules: &'a [BuiltModule],
    pub users: &'a BuiltUsers,
    pub signals: &'a BuiltSignals,
    pub seed: u64,
    /// Seconds since the epoch.
    pub now: i64,
}

const DAY: i64 = 86_400;
/// Records are created over the year before `now`, so about half fall inside the six-month
/// window scoring executes over.
const CREATED_SPAN: i64 = 365 * DAY;
/// Optional fields without an explicit `null_rate` are empty this often.
const DEFAULT_NULL_RATE: f64 = 0.06;
/// How many distinct signals a Leads/Contacts record has (0..=4), and how many times each
/// happened (1..=6): most records have none, a few are very active.
const SIGNAL_KINDS_WEIGHTS: [u64; 5] = [50, 24, 14, 8, 4];
const SIGNAL_COUNT_WEIGHTS: [u64; 6] = [40, 25, 15, 10, 6, 4];

pub(super) fn generate(
    inp: &Inputs<'_>,
    ids: &mut IdGen,
) -> Result<BTreeMap<String, Vec<Record>>, SeedError> {
    let bases: Vec<u64> = inp
        .modules
        .iter()
        .map(|m| ids.reserve(m.record_count as u64))
        .collect();
    let plans = inp
        .modules
        .iter()
        .map(compile)
        .collect::<Result<Vec<_>, _>>()?;
    let order = generation_order(inp.modules, &plans)?;
    let env = Env::new(inp);

    let mut refs: Vec<Vec<Arc<LookupValue>>> = vec![Vec::new(); inp.modules.len()];
    let mut records: Vec<Vec<Record>> = vec![Vec::new(); inp.modules.len()];
    // Modules whose lookup targets are all generated are generated at once, one worker per
    // core (a large org has a hundred modules). Each module draws from its own random stream,
    // so the records are the same whatever the number of workers; each worker shares repeated
    // texts among the modules it makes.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    for wave in waves(&order, &plans) {
        let shares = share_out(&wave, inp.modules, workers);
        let made: Vec<(usize, Vec<Record>, Vec<String>)> = std::thread::scope(|s| {
            let running: Vec<_> = shares
                .iter()
                .map(|share| {
                    let (env, refs, plans, bases) = (&env, &refs, &plans, &bases);
                    s.spawn(move || {
                        let mut texts = Interner::default();
                        share
                            .iter()
                            .map(|&m| {
                                let module = &inp.modules[m];
                                let seed = inp.seed ^ fnv1a(&module.schema.module.api_name);
                                let (recs, display) = module_records(
                                    module,
                                    &plans[m],
                                    env,
                                    refs,
                                    &mut texts,
                                    SplitMix64::new(seed),
                                    bases[m],
                                );
                                (m, recs, display)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            running
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        for (m, recs, display) in made {
            refs[m] = recs
                .iter()
                .zip(display)
                .map(|(r, name)| {
                    Arc::new(LookupValue {
                        id: r.id.clone(),
                        name,
                    })
                })
                .collect();
            records[m] = recs;
        }
    }
    Ok(inp
        .modules
        .iter()
        .zip(records)
        .map(|(m, r)| (m.schema.module.api_name.clone(), r))
        .collect())
}

/// `order` (every module after the modules it looks up) cut into waves: a module's wave comes
/// after the waves of all its lookup targets, so the modules of one wave can be made at once.
fn waves(order: &[usize], plans: &[ModulePlan]) -> Vec<Vec<usize>> {
    let mut wave_of = vec![0usize; plans.len()];
    let mut out: Vec<Vec<usize>> = Vec::new();
    for &m in order {
        let w = plans[m]
            .fields
            .iter()
            .filter_map(|f| match f.plan {
                Plan::Record { target, .. } | Plan::Records { target, .. } if target != m => {
                    Some(wave_of[target] + 1)
                }
                _ => None,
            })
            .max()
            .unwrap_or(0);
        wave_of[m] = w;
        if out.len() <= w {
            out.resize_with(w + 1, Vec::new);
        }
        out[w].push(m);
    }
    out
}

/// A wave's modules shared out among `workers`, the biggest first to the least loaded.
fn share_out(wave: &[usize], modules: &[BuiltModule], workers: usize) -> Vec<Vec<usize>> {
    let mut by_size = wave.to_vec();
    by_size.sort_by_key(|&m| std::cmp::Reverse(modules[m].record_count));
    let mut shares: Vec<(usize, Vec<usize>)> =
        vec![(0, Vec::new()); workers.min(wave.len()).max(1)];
    for m in by_size {
        if let Some(least) = shares.iter_mut().min_by_key(|(load, _)| *load) {
            least.0 += modules[m].record_count.max(1);
            least.1.push(m);
        }
    }
    shares.into_iter().map(|(_, s)| s).collect()
}

/// What a field's values are made from.
#[derive(Debug)]
enum Plan {
    Empty,
    FirstName,
    LastName,
    FullName,
    Company,
    JobTitle,
    Department,
    City,
    Country,
    Email,
    PersonalEmail,
    Website,
    Phone,
    Sentence,
    Ticker,
    DealName,
    Choice(Vec<Arc<str>>, Weighted),
    Pick(Vec<Arc<str>>, Weighted),
    Picks(Vec<Arc<str>>, Weighted, u32, u32),
    Number(NumberPlan),
    Date {
        from: i64,
        to: i64,
        datetime: bool,
    },
    DateTime,
    Bool(f64),
    Product {
        a: usize,
        b: usize,
        scale: f64,
        decimals: u32,
    },
    Map {
        from: usize,
        map: Vec<(String, f64)>,
        default: Option<f64>,
    },
    Autonumber {
        prefix: String,
        start: u64,
        width: usize,
    },
    Owner,
    User,
    Users(u32, u32),
    /// `company`: this lookup is the record's account, whose name the email and website use.
    Record {
        target: usize,
        company: bool,
    },
    Records {
        target: usize,
        min: u32,
        max: u32,
    },
    Created,
    Modified,
    Activity,
    Layout,
}

impl Plan {
    /// Plans that read other fields' values or the names other fields settled on.
    fn is_derived(&self) -> bool {
        matches!(
            self,
            Plan::FullName
                | Plan::Email
                | Plan::PersonalEmail
                | Plan::Website
                | Plan::DealName
                | Plan::Product { .. }
                | Plan::Map { .. }
        )
    }

    fn never_empty(&self) -> bool {
        matches!(
            self,
            Plan::Owner
                | Plan::Created
                | Plan::Modified
                | Plan::Activity
                | Plan::Layout
                | Plan::Autonumber { .. }
                | Plan::FullName
                | Plan::Bool(_)
                | Plan::Empty
                | Plan::Map { .. }
                | Plan::Product { .. }
        )
    }
}

#[derive(Debug)]
struct NumberPlan {
    min: f64,
    max: f64,
    log: bool,
    step: Option<f64>,
    decimals: u32,
}

impl NumberPlan {
    fn draw(&self, rng: &mut SplitMix64) -> f64 {
        let x = if self.log {
            (self.min.ln() + rng.unit() * (self.max.ln() - self.min.ln())).exp()
        } else if self.step.is_none() && self.decimals == 0 {
            // Whole numbers: draw the integer directly so both ends are equally likely.
            return rng.between(self.min.ceil() as i64, self.max.floor() as i64) as f64;
        } else {
            self.min + rng.unit() * (self.max - self.min)
        };
        round(x, self.step, self.decimals)
    }
}

fn round(x: f64, step: Option<f64>, decimals: u32) -> f64 {
    match step {
        Some(s) => (x / s).round() * s,
        None => {
            let p = 10f64.powi(decimals as i32);
            (x * p).round() / p
        }
    }
}

struct FieldPlan {
    plan: Plan,
    null_rate: f64,
}

struct ModulePlan {
    fields: Vec<FieldPlan>,
    /// Field indices in generation order: independent fields, then derived ones.
    order: Vec<usize>,
    layouts: Option<Weighted>,
    /// Per layout, per field: does a record in this layout get a value for the field?
    in_layout: Vec<Vec<bool>>,
    layout_refs: Vec<Arc<LookupValue>>,
    people: bool,
}

/// The broad kind of value a field holds, by its effective type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Holds {
    Text,
    Multi,
    Number,
    Date,
    DateTime,
    Bool,
    Lookup,
    MultiLookup,
    Other,
}

fn holds(dt: &DataType) -> Holds {
    match dt {
        DataType::Multiselectpicklist => Holds::Multi,
        t if t.is_textual() => Holds::Text,
        t if t.is_numeric() => Holds::Number,
        DataType::Date => Holds::Date,
        DataType::Datetime => Holds::DateTime,
        DataType::Boolean => Holds::Bool,
        t if t.is_lookup() => Holds::Lookup,
        t if t.is_multi_lookup() => Holds::MultiLookup,
        _ => Holds::Other,
    }
}

fn compile(m: &BuiltModule) -> Result<ModulePlan, SeedError> {
    let schema = &m.schema;
    let mut fields = Vec::with_capacity(schema.fields.len());
    for (i, (field, extra)) in schema.fields.iter().zip(&m.extras).enumerate() {
        let bad = |problem: String| {
            let key = if extra.r#gen.is_some() { ".gen" } else { "" };
            SeedError::invalid(&m.file, format!("$.fields[{i}]{key}"), problem)
        };
        let plan = compile_field(field, extra, &schema.fields, i).map_err(bad)?;
        let null_rate = match extra.null_rate {
            Some(r) => r,
            None if extra.system_mandatory || plan.never_empty() => 0.0,
            None => DEFAULT_NULL_RATE,
        };
        fields.push(FieldPlan { plan, null_rate });
    }
    let order = (0..fields.len())
        .filter(|&i| !fields[i].plan.is_derived())
        .chain((0..fields.len()).filter(|&i| fields[i].plan.is_derived()))
        .collect();
    let in_layout = schema
        .layouts
        .iter()
        .map(|l| {
            fields
                .iter()
                .zip(&schema.fields)
                .map(|(p, f)| matches!(p.plan, Plan::Layout) || l.has_field(&f.api_name))
                .collect()
        })
        .collect();
    Ok(ModulePlan {
        fields,
        order,
        layouts: Weighted::new(m.layout_weights.iter().map(|&w| u64::from(w))),
        in_layout,
        layout_refs: schema
            .layouts
            .iter()
            .map(|l| {
                Arc::new(LookupValue {
                    id: l.id.clone(),
                    name: l.name.clone(),
                })
            })
            .collect(),
        people: schema.is_people(),
    })
}

fn compile_field(
    field: &Field,
    extra: &FieldExtra,
    fields: &[Field],
    index: usize,
) -> Result<Plan, String> {
    let dt = field.effective_type();
    let has = holds(&dt);
    let picklist = matches!(dt, DataType::Picklist | DataType::Multiselectpicklist);
    let values = || -> Result<(Vec<Arc<str>>, Weighted), String> {
        let values: Vec<Arc<str>> = field
            .pick_list_values
            .iter()
            .map(|p| Arc::from(p.actual_value.as_str()))
            .collect();
        let table = Weighted::new(extra.pick_weights.iter().map(|&w| u64::from(w)))
            .ok_or("every pick_list_values weight is 0")?;
        Ok((values, table))
    };
    let need = |ok: bool, what: &str| -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{what} cannot fill {} ({})",
                field.api_name,
                field.data_type.as_str()
            ))
        }
    };
    let text = |p: Plan, what: &str| -> Result<Plan, String> {
        need(has == Holds::Text && !picklist, what)?;
        Ok(p)
    };
    let Some(g) = &extra.r#gen else {
        return default_plan(field, &dt, extra, values);
    };
    let plan = match g {
        Gen::FirstName => text(Plan::FirstName, "first_name")?,
        Gen::LastName => text(Plan::LastName, "last_name")?,
        Gen::FullName => text(Plan::FullName, "full_name")?,
        Gen::Company => text(Plan::Company, "company")?,
        Gen::JobTitle => text(Plan::JobTitle, "job_title")?,
        Gen::Department => text(Plan::Department, "department")?,
        Gen::City => text(Plan::City, "city")?,
        Gen::Country => text(Plan::Country, "country")?,
        Gen::Email => text(Plan::Email, "email")?,
        Gen::PersonalEmail => text(Plan::PersonalEmail, "personal_email")?,
        Gen::Website => text(Plan::Website, "website")?,
        Gen::Phone => text(Plan::Phone, "phone")?,
        Gen::Sentence => text(Plan::Sentence, "sentence")?,
        Gen::Ticker => text(Plan::Ticker, "ticker")?,
        Gen::DealName => text(Plan::DealName, "deal_name")?,
        Gen::Choice { values, weights } => {
            need(
                has == Holds::Text && !picklist,
                "choice (picklists use their pick_list_values)",
            )?;
            if values.is_empty() {
                return Err("choice needs values".into());
            }
            let weights: Vec<u64> = if weights.is_empty() {
                vec![1; values.len()]
            } else if weights.len() == values.len() {
                weights.iter().map(|&w| u64::from(w)).collect()
            } else {
                return Err(format!(
                    "{} weights for {} values",
                    weights.len(),
                    values.len()
                ));
            };
            let table = Weighted::new(weights).ok_or("every choice weight is 0")?;
            text(
                Plan::Choice(
                    values.iter().map(|v| Arc::from(v.as_str())).collect(),
                    table,
                ),
                "choice",
            )?
        }
        Gen::Picks { min, max } => {
            need(has == Holds::Multi, "picks")?;
            counts(*min, *max)?;
            let (v, t) = values()?;
            Plan::Picks(v, t, *min, *max)
        }
        Gen::Number {
            min,
            max,
            log,
            step,
            decimals,
        } => {
            need(has == Holds::Number, "number")?;
            if !(min.is_finite() && max.is_finite() && min <= max) {
                return Err(format!("number needs finite min ≤ max, got {min}..{max}"));
            }
            if *log && *min <= 0.0 {
                return Err("a log-scaled number needs min > 0".into());
            }
            if step.is_some_and(|s| !(s.is_finite() && s > 0.0)) {
                return Err("step must be a positive number".into());
            }
            Plan::Number(NumberPlan {
                min: *min,
                max: *max,
                log: *log,
                step: *step,
                decimals: decimals.unwrap_or_else(|| default_decimals(&dt)),
            })
        }
        Gen::Date { from, to } => {
            need(matches!(has, Holds::Date | Holds::DateTime), "date")?;
            if from > to {
                return Err(format!("date range {from}..{to} is empty"));
            }
            if from.abs().max(to.abs()) > MAX_DAYS_FROM_NOW {
                return Err(format!(
                    "dates are at most {MAX_DAYS_FROM_NOW} days from now"
                ));
            }
            Plan::Date {
                from: *from,
                to: *to,
                datetime: has == Holds::DateTime,
            }
        }
        Gen::Bool { p } => {
            need(has == Holds::Bool, "bool")?;
            if !(0.0..=1.0).contains(p) {
                return Err(format!("p = {p} is not between 0 and 1"));
            }
            Plan::Bool(*p)
        }
        Gen::Product { of, scale } => {
            need(has == Holds::Number, "product")?;
            let [a, b] = of.as_slice() else {
                return Err("product takes exactly two fields".into());
            };
            let a = source(fields, a, index, true)?;
            let b = source(fields, b, index, true)?;
            Plan::Product {
                a,
                b,
                scale: *scale,
                decimals: default_decimals(&dt),
            }
        }
        Gen::Map { from, map, default } => {
            need(has == Holds::Number, "map")?;
            let from = source(fields, from, index, false)?;
            Plan::Map {
                from,
                map: map.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                default: *default,
            }
        }
        Gen::Autonumber {
            prefix,
            start,
            width,
        } => {
            if *width > 18 || *start > 1_000_000_000_000 {
                return Err("autonumber width is at most 18 and start at most 10^12".into());
            }
            text(
                Plan::Autonumber {
                    prefix: prefix.clone(),
                    start: *start,
                    width: *width,
                },
                "autonumber",
            )?
        }
        Gen::Owner => {
            need(is_user_lookup(&dt), "owner")?;
            Plan::Owner
        }
        Gen::User => {
            need(is_user_lookup(&dt), "user")?;
            Plan::User
        }
        Gen::Users { min, max } => {
            need(dt == DataType::Multiuserlookup, "users")?;
            counts(*min, *max)?;
            Plan::Users(*min, *max)
        }
        Gen::Record => record_plan(field, &dt, extra)?,
        Gen::Records { min, max } => {
            need(dt == DataType::Multiselectlookup, "records")?;
            counts(*min, *max)?;
            Plan::Records {
                target: target(extra)?,
                min: *min,
                max: *max,
            }
        }
        Gen::Created | Gen::Modified | Gen::Activity => {
            need(has == Holds::DateTime, "created / modified / activity")?;
            match g {
                Gen::Created => Plan::Created,
                Gen::Modified => Plan::Modified,
                _ => Plan::Activity,
            }
        }
        Gen::Layout => {
            need(matches!(has, Holds::Lookup | Holds::Other), "layout")?;
            Plan::Layout
        }
        Gen::Empty => Plan::Empty,
    };
    Ok(plan)
}

fn default_plan(
    field: &Field,
    dt: &DataType,
    extra: &FieldExtra,
    values: impl Fn() -> Result<(Vec<Arc<str>>, Weighted), String>,
) -> Result<Plan, String> {
    let number = |min: f64, max: f64, log: bool| {
        Plan::Number(NumberPlan {
            min,
            max,
            log,
            step: None,
            decimals: default_decimals(dt),
        })
    };
    Ok(match dt {
        DataType::Text | DataType::Textarea => Plan::Sentence,
        DataType::Email => Plan::Email,
        DataType::Phone => Plan::Phone,
        DataType::Website => Plan::Website,
        DataType::Autonumber => Plan::Autonumber {
            prefix: String::new(),
            start: 1,
            width: 0,
        },
        DataType::Picklist => {
            let (v, t) = values()?;
            Plan::Pick(v, t)
        }
        DataType::Multiselectpicklist => {
            let (v, t) = values()?;
            Plan::Picks(v, t, 1, 3)
        }
        DataType::Date => Plan::Date {
            from: -365,
            to: 0,
            datetime: false,
        },
        DataType::Datetime => Plan::DateTime,
        DataType::Integer => number(0.0, 100.0, false),
        DataType::Bigint => number(1e9, 1e12, true),
        DataType::Currency => number(100.0, 1e6, true),
        DataType::Double | DataType::Decimal => number(0.0, 100.0, false),
        DataType::Boolean => Plan::Bool(0.2),
        DataType::Lookup => record_plan(field, dt, extra)?,
        DataType::Ownerlookup => Plan::Owner,
        DataType::Userlookup => Plan::User,
        DataType::Multiuserlookup => Plan::Users(1, 3),
        DataType::Multiselectlookup => Plan::Records {
            target: target(extra)?,
            min: 1,
            max: 3,
        },
        DataType::Other(s) if s == "layout" => Plan::Layout,
        _ => Plan::Empty,
    })
}

fn record_plan(field: &Field, dt: &DataType, extra: &FieldExtra) -> Result<Plan, String> {
    if *dt != DataType::Lookup {
        return Err(format!(
            "record cannot fill {} ({})",
            field.api_name,
            dt.as_str()
        ));
    }
    Ok(Plan::Record {
        target: target(extra)?,
        // Zoho names a record's own account lookup Account_Name; its name becomes the company
        // the record's email, website and deal name are made from.
        company: field.api_name == "Account_Name",
    })
}

fn target(extra: &FieldExtra) -> Result<usize, String> {
    extra
        .lookup_target
        .ok_or_else(|| "a lookup needs \"lookup\": module".to_string())
}

fn is_user_lookup(dt: &DataType) -> bool {
    matches!(dt, DataType::Ownerlookup | DataType::Userlookup)
}

fn default_decimals(dt: &DataType) -> u32 {
    if matches!(dt, DataType::Integer | DataType::Bigint) {
        0
    } else {
        2
    }
}

/// Most values a multi-value generator picks: Zoho lists stay short, and it bounds the
/// rejection sampling that keeps picks distinct.
const MAX_PICKS: u32 = 25;

fn counts(min: u32, max: u32) -> Result<(), String> {
    if min == 0 || min > max || max > MAX_PICKS {
        Err(format!(
            "min..max must satisfy 1 ≤ min ≤ max ≤ {MAX_PICKS}, got {min}..{max}"
        ))
    } else {
        Ok(())
    }
}

/// A field another field's value is computed from. It must come earlier in the field list:
/// computed fields run after all others, in field order, so an earlier source always has its
/// value by then, whether or not it is computed itself.
fn source(fields: &[Field], api_name: &str, index: usize, numeric: bool) -> Result<usize, String> {
    let i = fields
        .iter()
        .position(|f| f.api_name == api_name)
        .ok_or_else(|| format!("no field {api_name:?} in this module"))?;
    if numeric && !fields[i].effective_type().is_numeric() {
        return Err(format!("{api_name} is not a number field"));
    }
    if i >= index {
        return Err(format!(
            "{api_name} must come before {} in the field list",
            fields[index].api_name
        ));
    }
    Ok(i)
}

/// Modules in an order where every lookup's target is generated before the lookup, keeping
/// the manifest order otherwise.
fn generation_order(
    modules: &[BuiltModule],
    plans: &[ModulePlan],
) -> Result<Vec<usize>, SeedError> {
    let deps: Vec<Vec<(usize, usize)>> = plans
        .iter()
        .map(|p| {
            p.fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| match f.plan {
                    Plan::Record { target, .. } | Plan::Records { target, .. } => Some((i, target)),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let mut done = vec![false; modules.len()];
    let mut order = Vec::with_capacity(modules.len());
    while order.len() < modules.len() {
        let next = (0..modules.len())
            .find(|&m| !done[m] && deps[m].iter().all(|&(_, t)| done[t] && t != m));
        match next {
            Some(m) => {
                done[m] = true;
                order.push(m);
            }
            None => {
                let (m, (field, target)) = (0..modules.len())
                    .filter(|&m| !done[m])
                    .find_map(|m| {
                        deps[m]
                            .iter()
                            .find(|&&(_, t)| !done[t] || t == m)
                            .map(|&d| (m, d))
                    })
                    .unwrap_or((0, (0, 0)));
                return Err(SeedError::invalid(
                    &modules[m].file,
                    format!("$.fields[{field}].lookup"),
                    format!(
                        "lookups form a cycle through {}: records of a module can only point at modules generated before it",
                        modules[target].schema.module.api_name
                    ),
                ));
            }
        }
    }
    Ok(order)
}

/// Org-wide tables the per-record code draws from.
struct Env<'a> {
    now: i64,
    today: i64,
    users: Vec<Arc<LookupValue>>,
    owners: Option<Weighted>,
    signals: Vec<&'a str>,
    signal_table: Option<Weighted>,
    signal_kinds: Option<Weighted>,
    signal_counts: Option<Weighted>,
    job_titles: Option<Weighted>,
    countries: Option<Weighted>,
}

impl<'a> Env<'a> {
    fn new(inp: &Inputs<'a>) -> Self {
        let usable: Vec<(&'a str, u64)> = inp
            .signals
            .list
            .iter()
            .zip(&inp.signals.record_weights)
            .filter(|(s, w)| **w > 0 && s.usable_for_scoring())
            .map(|(s, &w)| (s.namespace.as_str(), u64::from(w)))
            .collect();
        Env {
            now: inp.now,
            today: inp.now.div_euclid(DAY),
            users: inp
                .users
                .list
                .iter()
                .map(|u| {
                    Arc::new(LookupValue {
                        id: u.id.clone(),
                        name: u.name.clone(),
                    })
                })
                .collect(),
            owners: Weighted::new(inp.users.owner_weights.iter().map(|&w| u64::from(w))),
            signal_table: Weighted::new(usable.iter().map(|&(_, w)| w)),
            signals: usable.into_iter().map(|(n, _)| n).collect(),
            signal_kinds: Weighted::new(SIGNAL_KINDS_WEIGHTS),
            signal_counts: Weighted::new(SIGNAL_COUNT_WEIGHTS),
            job_titles: Weighted::new(JOB_TITLES.iter().map(|&(_, w)| w)),
            countries: Weighted::new(COUNTRIES.iter().map(|&(_, w, _, _)| w)),
        }
    }

    fn owner(&self, rng: &mut SplitMix64) -> usize {
        self.owners.as_ref().map_or(0, |t| t.draw(rng))
    }
}

/// The person and company behind one record, drawn before its fields.
struct Person {
    first: Option<&'static str>,
    last: &'static str,
    company: String,
    company_stem: String,
    country: usize,
    city: &'static str,
    created: i64,
    modified: i64,
    activity: i64,
    owner: usize,
    personal_email: bool,
    email_number: u64,
}

impl Person {
    fn draw(rng: &mut SplitMix64, env: &Env<'_>) -> Self {
        let first = *rng.pick(FIRST_NAMES);
        let last = *rng.pick(LAST_NAMES);
        let stem = format!("{} {}", rng.pick(COMPANY_HEADS), rng.pick(COMPANY_CORES));
        let tail = *rng.pick(COMPANY_TAILS);
        let company = if tail.is_empty() {
            stem.clone()
        } else {
            format!("{stem} {tail}")
        };
        let country = env.countries.as_ref().map_or(0, |t| t.draw(rng));
        let city = *rng.pick(COUNTRIES[country].3);
        let created = env.now - rng.between(0, CREATED_SPAN);
        let modified = created + (rng.unit() * (env.now - created) as f64) as i64;
        let activity = if rng.chance(0.5) {
            modified + (rng.unit() * (env.now - modified) as f64) as i64
        } else {
            modified
        };
        Person {
            first: Some(first),
            last,
            company,
            company_stem: stem,
            country,
            city,
            created,
            modified,
            activity,
            owner: env.owner(rng),
            personal_email: rng.chance(0.12),
            email_number: rng.below(100),
        }
    }

    fn domain(&self) -> String {
        format!("{}.example", slug(&self.company_stem))
    }

    fn local_part(&self) -> String {
        match self.first {
            Some(f) => format!("{}.{}", slug(f), slug(self.last)),
            None => slug(self.last),
        }
    }

    fn personal(&self) -> String {
        let domain = PERSONAL_DOMAINS[(self.email_number as usize) % PERSONAL_DOMAINS.len()];
        format!("{}{}@{domain}", self.local_part(), self.email_number)
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn module_records(
    module: &BuiltModule,
    plan: &ModulePlan,
    env: &Env<'_>,
    targets: &[Vec<Arc<LookupValue>>],
    texts: &mut Interner,
    mut rng: SplitMix64,
    base: u64,
) -> (Vec<Record>, Vec<String>) {
    let count = module.record_count;
    let mut records = Vec::with_capacity(count);
    let mut display = Vec::with_capacity(count);
    let singular = module
        .schema
        .module
        .singular_label
        .clone()
        .unwrap_or_else(|| module.schema.module.api_name.clone());
    for index in 0..count {
        let mut person = Person::draw(&mut rng, env);
        let layout = plan.layouts.as_ref().map_or(0, |t| t.draw(&mut rng));
        let mask = &plan.in_layout[layout];
        let mut values = vec![FieldValue::Null; plan.fields.len()];
        for &f in &plan.order {
            if !mask[f] {
                continue;
            }
            let fp = &plan.fields[f];
            if fp.null_rate > 0.0 && rng.chance(fp.null_rate) {
                if matches!(fp.plan, Plan::FirstName) {
                    person.first = None;
                }
                continue;
            }
            values[f] = value(
                &fp.plan,
                &mut Draw {
                    rng: &mut rng,
                    person: &mut person,
                    env,
                    targets,
                    texts: &mut *texts,
                    index: index as u64,
                    layout: &plan.layout_refs[layout],
                },
                &values,
            );
        }
        let name = match &values[module.display_field] {
            FieldValue::Text(s) if !s.is_empty() => s.to_string(),
            _ => format!("{singular} {}", index + 1),
        };
        let signals = if plan.people {
            signals(&mut rng, env)
        } else {
            Vec::new()
        };
        records.push(Record {
            id: Id::from(base + index as u64),
            values,
            signals,
        });
        display.push(name);
    }
    (records, display)
}

struct Draw<'r, 'e> {
    rng: &'r mut SplitMix64,
    person: &'r mut Person,
    env: &'r Env<'e>,
    /// Per module: a shared lookup to each of its records (empty until it is generated).
    targets: &'r [Vec<Arc<LookupValue>>],
    texts: &'r mut Interner,
    index: u64,
    layout: &'r Arc<LookupValue>,
}

/// A text unique to its record.
fn text(s: impl Into<Arc<str>>) -> FieldValue {
    FieldValue::Text(s.into())
}

fn value(plan: &Plan, d: &mut Draw<'_, '_>, values: &[FieldValue]) -> FieldValue {
    let p = &mut *d.person;
    let rng = &mut *d.rng;
    let env = d.env;
    let texts = &mut *d.texts;
    let mut shared = |s: &str| FieldValue::Text(texts.get(s));
    match plan {
        Plan::Empty => FieldValue::Null,
        Plan::FirstName => p.first.map_or(FieldValue::Null, shared),
        Plan::LastName => shared(p.last),
        Plan::FullName => match p.first {
            Some(f) => shared(&format!("{f} {}", p.last)),
            None => shared(p.last),
        },
        Plan::Company => shared(&p.company),
        Plan::JobTitle => {
            let k = match &env.job_titles {
                Some(t) => t.draw(rng),
                None => rng.below(JOB_TITLES.len() as u64) as usize,
            };
            shared(JOB_TITLES[k].0)
        }
        Plan::Department => {
            let department = *rng.pick(DEPARTMENTS);
            shared(department)
        }
        Plan::City => shared(p.city),
        Plan::Country => shared(COUNTRIES[p.country].0),
        Plan::Email if p.personal_email => text(p.personal()),
        Plan::Email => text(format!("{}@{}", p.local_part(), p.domain())),
        Plan::PersonalEmail => text(p.personal()),
        Plan::Website => text(format!("www.{}", p.domain())),
        Plan::Phone => text(phone(rng, COUNTRIES[p.country].2)),
        Plan::Sentence => {
            let sentence = *rng.pick(SENTENCES);
            shared(sentence)
        }
        Plan::Ticker => text(ticker(rng, &p.company_stem)),
        Plan::DealName => text(format!("{} - {}", p.company, rng.pick(DEAL_SUFFIXES))),
        Plan::Choice(values, table) | Plan::Pick(values, table) => {
            FieldValue::Text(Arc::clone(&values[table.draw(rng)]))
        }
        Plan::Picks(values, table, min, max) => {
            let want = rng.between(i64::from(*min), i64::from(*max)) as usize;
            let want = want.min(values.len());
            let mut chosen: Vec<usize> = Vec::with_capacity(want);
            // Rejection keeps the weights; the cap bounds the loop when weights are lopsided.
            for _ in 0..want * 8 {
                if chosen.len() == want {
                    break;
                }
                let k = table.draw(rng);
                if !chosen.contains(&k) {
                    chosen.push(k);
                }
            }
            // Listed in pick-list order, as Zoho returns them.
            chosen.sort_unstable();
            FieldValue::Multi(chosen.into_iter().map(|k| Arc::clone(&values[k])).collect())
        }
        Plan::Number(n) => FieldValue::Number(n.draw(rng)),
        Plan::Date { from, to, datetime } => {
            let day = env.today + rng.between(*from, *to);
            if *datetime {
                FieldValue::DateTime(day * DAY + rng.between(8 * 3600, 19 * 3600))
            } else {
                FieldValue::Date(day as i32)
            }
        }
        Plan::DateTime => {
            FieldValue::DateTime(p.created + (rng.unit() * (env.now - p.created) as f64) as i64)
        }
        Plan::Bool(prob) => FieldValue::Bool(rng.chance(*prob)),
        Plan::Product {
            a,
            b,
            scale,
            decimals,
        } => match (&values[*a], &values[*b]) {
            (FieldValue::Number(x), FieldValue::Number(y)) => {
                FieldValue::Number(round(x * y * scale, None, *decimals))
            }
            _ => FieldValue::Null,
        },
        Plan::Map { from, map, default } => {
            let key = match &values[*from] {
                FieldValue::Text(s) => Some(&**s),
                _ => None,
            };
            key.and_then(|k| map.iter().find(|(m, _)| m == k).map(|(_, v)| *v))
                .or(*default)
                .map_or(FieldValue::Null, FieldValue::Number)
        }
        Plan::Autonumber {
            prefix,
            start,
            width,
        } => text(format!(
            "{prefix}{:0width$}",
            start + d.index,
            width = *width
        )),
        Plan::Owner => FieldValue::Lookup(Arc::clone(&env.users[p.owner])),
        Plan::User => FieldValue::Lookup(Arc::clone(&env.users[env.owner(rng)])),
        Plan::Users(min, max) => {
            let n = env.users.len();
            let want = (rng.between(i64::from(*min), i64::from(*max)) as usize).min(n);
            let picked = distinct(rng, n, want);
            FieldValue::MultiLookup(
                picked
                    .into_iter()
                    .map(|k| LookupValue::clone(&env.users[k]))
                    .collect(),
            )
        }
        Plan::Record { target, company } => {
            let t = &d.targets[*target];
            if t.is_empty() {
                return FieldValue::Null;
            }
            let k = rng.below(t.len() as u64) as usize;
            if *company {
                p.company.clone_from(&t[k].name);
                p.company_stem = stem(&t[k].name);
            }
            FieldValue::Lookup(Arc::clone(&t[k]))
        }
        Plan::Records { target, min, max } => {
            let t = &d.targets[*target];
            let want = (rng.between(i64::from(*min), i64::from(*max)) as usize).min(t.len());
            if want == 0 {
                return FieldValue::Null;
            }
            let picked = distinct(rng, t.len(), want);
            FieldValue::MultiLookup(
                picked
                    .into_iter()
                    .map(|k| LookupValue::clone(&t[k]))
                    .collect(),
            )
        }
        Plan::Created => FieldValue::DateTime(p.created),
        Plan::Modified => FieldValue::DateTime(p.modified),
        Plan::Activity => FieldValue::DateTime(p.activity),
        Plan::Layout => FieldValue::Lookup(Arc::clone(d.layout)),
    }
}

/// A company name without its legal suffix, for domains: "Blue Harbor Logistics Inc" →
/// "Blue Harbor Logistics".
fn stem(company: &str) -> String {
    match company.rsplit_once(' ') {
        Some((head, tail)) if COMPANY_TAILS.contains(&tail) => head.to_string(),
        _ => company.to_string(),
    }
}

/// `want` distinct indices below `n`, in ascending order.
fn distinct(rng: &mut SplitMix64, n: usize, want: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(want);
    while out.len() < want.min(n) {
        let k = rng.below(n as u64) as usize;
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out.sort_unstable();
    out
}

fn phone(rng: &mut SplitMix64, code: &str) -> String {
    if code == "+1" {
        // 555-01xx is reserved for fiction in the North American plan.
        format!("+1 {} 555 01{:02}", rng.between(201, 989), rng.below(100))
    } else {
        format!(
            "{code} {:03} {:03} {:04}",
            rng.below(1000),
            rng.below(1000),
            rng.below(10_000)
        )
    }
}

fn ticker(rng: &mut SplitMix64, company: &str) -> String {
    let mut t: String = company
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    for _ in 0..rng.between(1, 2) {
        t.push(char::from(b'A' + rng.below(26) as u8));
    }
    t
}

fn signals(rng: &mut SplitMix64, env: &Env<'_>) -> Vec<SignalEvents> {
    let (Some(table), Some(kinds), Some(counts)) =
        (&env.signal_table, &env.signal_kinds, &env.signal_counts)
    else {
        return Vec::new();
    };
    let want = kinds.draw(rng).min(env.signals.len());
    let mut out: Vec<SignalEvents> = Vec::with_capacity(want);
    for _ in 0..want * 8 {
        if out.len() == want {
            break;
        }
        let ns = env.signals[table.draw(rng)];
        if out.iter().any(|s| s.namespace == ns) {
            continue;
        }
        out.push(SignalEvents {
            namespace: ns.to_string(),
            count: counts.draw(rng) as u32 + 1,
        });
    }
    out.sort_by(|a, b| a.namespace.cmp(&b.namespace));
    out
}
