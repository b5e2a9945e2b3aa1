//! Screen snapshots of marks at 80×24 and 160×48: the marks column and the count in the
//! status bar, the plan of a clone over Partners / Reseller's limit (5 of 5 active) with its
//! choices as keys, and the typed confirmation of a bulk delete listing every rule and the
//! custom field that goes with one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{keys, load, profile_prod, screen_in, seeded};
use zscore::tui::app::App;
use zscore::tui::event::Msg;
use zscore::tui::view::Theme;

fn loaded(width: u16, height: u16) -> App {
    let mut app = App::new(profile_prod());
    app.update(Msg::Resize { width, height });
    app.start();
    load(&mut app, seeded());
    app
}

macro_rules! snap {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({
            snapshot_path => "snapshots",
        }, {
            insta::assert_snapshot!($name, $screen);
        });
    };
}

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

#[test]
fn marks_in_the_list_and_counted_in_the_status_bar() {
    for (w, h) in SIZES {
        let mut app = loaded(w, h);
        // Leads / Standard: the first and the third rule marked, the cursor on the third.
        keys(&mut app, "\nj\n jj ");
        let s = screen_in(&app, w, h, Theme { color: false });
        assert!(s.contains("2 marked"), "{s}");
        assert!(s.contains("✚"), "{s}");
        snap!(format!("marks_list_{w}x{h}"), s);
    }
}

#[test]
fn clone_plan_over_the_reseller_limit() {
    for (w, h) in SIZES {
        let mut app = loaded(w, h);
        // Partners: Top Tier Partners (Standard) and Reseller Health (Reseller, 5 of 5 active).
        keys(&mut app, "G\nj\n hjl c");
        let s = screen_in(&app, w, h, Theme { color: false });
        assert!(s.contains("f clone the first 1"), "{s}");
        snap!(format!("marks_clone_limit_{w}x{h}"), s);
    }
}

#[test]
fn bulk_delete_typed_confirmation() {
    for (w, h) in SIZES {
        let mut app = loaded(w, h);
        // Leads / Standard's three rules and Partner Referrals, which owns a custom field.
        keys(&mut app, "\nj\nVhjl d");
        keys(&mut app, "del");
        let s = screen_in(&app, w, h, Theme { color: false });
        assert!(s.contains("Type “delete” to delete: del"), "{s}");
        snap!(format!("marks_delete_typed_{w}x{h}"), s);
    }
}

#[test]
fn bulk_move_lists_the_layouts_then_the_steps_once() {
    for (w, h) in SIZES {
        let mut app = loaded(w, h);
        // Leads / Standard's first two rules: Event Leads lacks fields their criteria use.
        keys(&mut app, "\nj\n j m");
        let s = screen_in(&app, w, h, Theme { color: false });
        assert!(s.contains("Move 2 marked rules from Standard to:"), "{s}");
        assert!(s.contains("which the rules' criteria use"), "{s}");
        snap!(format!("marks_move_pick_{w}x{h}"), s);
        keys(&mut app, "\n");
        let s = screen_in(&app, w, h, Theme { color: false });
        assert!(s.contains("One rule at a time"), "{s}");
        assert!(s.contains("y move"), "{s}");
        snap!(format!("marks_move_steps_{w}x{h}"), s);
    }
}
