//! File and directory names for exported rules.
//!
//! A rule's file name is its name made safe for every file system the export may be checked
//! out on, not only the one it was written on: a repository of rules exported on Linux must
//! still clone on Windows and macOS. The name inside the file is what counts on import; the
//! file name only has to be stable, unique in its directory and recognisable.

use std::collections::HashSet;

/// The layout directory of rules that apply to every layout. Zoho api_names start with a letter,
/// so no layout is called this.
pub const ALL_LAYOUTS: &str = "_all";

/// Characters no file name may hold somewhere: path separators, and what Windows reserves.
const RESERVED: [char; 9] = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// Windows device names, refused as a file's stem whatever its extension.
const DEVICES: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Longest stem in bytes, leaving room for ` (999).json` under the common 255-byte limit.
const MAX_STEM_BYTES: usize = 200;

/// A rule name as a file stem (without `.json`): separators, reserved and control characters,
/// leading dots (hidden files, `..`) and trailing dots and spaces (dropped by Windows) become
/// `_`; an empty name becomes `_`; a Windows device name (`con`, `NUL.txt`) gets a `_` after
/// its first part.
pub fn file_stem(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if RESERVED.contains(&c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let leading = out.chars().take_while(|c| *c == '.').count();
    if leading > 0 {
        out = "_".repeat(leading) + &out[leading..];
    }
    if out.len() > MAX_STEM_BYTES {
        let mut cut = MAX_STEM_BYTES;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    let kept = out.trim_end_matches(['.', ' ']).len();
    let trailing = out.len() - kept;
    if trailing > 0 {
        out = out[..kept].to_string() + &"_".repeat(out[kept..].chars().count());
    }
    if out.is_empty() {
        out.push('_');
    }
    let first_dot = out.find('.').unwrap_or(out.len());
    if DEVICES
        .iter()
        .any(|d| d.eq_ignore_ascii_case(out[..first_dot].trim_end()))
    {
        out.insert(first_dot, '_');
    }
    out
}

/// Whether an api_name can be used as a directory name as it is. Module and layout directories
/// must spell the api_name exactly, since import reads the name back from the directory.
pub fn is_safe_dir_name(name: &str) -> bool {
    file_stem(name) == name
}

/// Hands out file names unique in one directory, ignoring case (macOS and Windows file systems
/// do). Later claimants of a taken stem get ` (2)`, ` (3)`, …: rule names cannot contain
/// parentheses, so these never clash with another rule's own name.
#[derive(Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
}

impl UniqueNames {
    pub fn claim(&mut self, stem: &str) -> String {
        let mut candidate = stem.to_string();
        let mut n = 2;
        while !self
            .taken
            .insert(format!("{}.json", candidate.to_lowercase()))
        {
            candidate = format!("{stem} ({n})");
            n += 1;
        }
        format!("{candidate}.json")
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("Hot web leads", "Hot web leads")]
    #[case("a/b\\c", "a_b_c")]
    #[case("..", "__")]
    #[case(".hidden", "_hidden")]
    #[case("...x.y", "___x.y")]
    #[case("", "_")]
    #[case("tab\there", "tab_here")]
    #[case("bell\u{7}", "bell_")]
    #[case("Q1: best?", "Q1_ best_")]
    #[case("ends with dot.", "ends with dot_")]
    #[case("spaces  ", "spaces__")]
    #[case("con", "con_")]
    #[case("NUL.txt", "NUL_.txt")]
    #[case("Console", "Console")]
    #[case("Déjà vu ✓", "Déjà vu ✓")]
    fn stems(#[case] name: &str, #[case] stem: &str) {
        assert_eq!(file_stem(name), stem);
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary() {
        let name = "é".repeat(300);
        let stem = file_stem(&name);
        assert!(stem.len() <= MAX_STEM_BYTES);
        assert!(stem.chars().all(|c| c == 'é'));
    }

    #[test]
    fn collisions_ignore_case_and_count_up() {
        let mut u = UniqueNames::default();
        assert_eq!(u.claim("Hot"), "Hot.json");
        assert_eq!(u.claim("hot"), "hot (2).json");
        assert_eq!(u.claim("HOT"), "HOT (3).json");
        assert_eq!(u.claim("Hot (2)"), "Hot (2) (2).json");
    }

    #[test]
    fn api_names_are_safe_dirs_and_paths_are_not() {
        assert!(is_safe_dir_name("Leads"));
        assert!(is_safe_dir_name("Event_Leads"));
        assert!(!is_safe_dir_name("../etc"));
        assert!(!is_safe_dir_name(""));
        assert!(!is_safe_dir_name(".git"));
    }
}
