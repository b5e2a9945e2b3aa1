//! Styles in one place, with a NO_COLOR variant. Without colour, state is still told apart by
//! markers (● ○, ▌), bold and reverse video, which NO_COLOR leaves alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Honours NO_COLOR when it is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    /// A pane's border with the profile's accent on the focused one, so a production org's
    /// screen never looks like the sandbox's.
    pub fn pane_border(self, focused: bool, accent: Option<Color>) -> Style {
        match accent {
            Some(c) if focused && self.color => Style::new().fg(c).add_modifier(Modifier::BOLD),
            _ => self.border(focused),
        }
    }

    /// The profile badge in the profile's accent (NO_COLOR: plain reverse video).
    pub fn accent_badge(self, accent: Option<Color>) -> Style {
        match accent {
            Some(c) if self.color => Style::new()
                .fg(c)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            _ => self.profile_badge(),
        }
    }

    /// The status bar's background: a thin wash of the accent, so it shows at a glance.
    pub fn accent_bar(self, accent: Option<Color>) -> Style {
        match accent {
            Some(c) if self.color => Style::new().fg(c),
            _ => self.status(),
        }
    }

    /// `READ-ONLY`: loud, and still readable without colour (reverse video).
    pub fn readonly_badge(self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        if self.color {
            s.fg(Color::LightBlue)
        } else {
            s
        }
    }

    pub fn selected(self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    pub fn active(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn inactive(self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn heading(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Lint warnings: told apart from errors (they block nothing); marked `⚠` without colour.
    pub fn warning(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn sandbox_badge(self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        if self.color { s.fg(Color::Yellow) } else { s }
    }

    pub fn profile_badge(self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        if self.color { s.fg(Color::Magenta) } else { s }
    }

    pub fn status(self) -> Style {
        Style::new()
    }
}
