//! Asking before a command changes an org: the same question, and the same refusal without a
//! terminal, for every command that writes (`import`, `revert`, the bulk commands).

use std::io::{BufRead, IsTerminal, Write};

/// Asks `question` on stderr and reads the answer from stdin; only `y` / `yes` agrees. Without
/// a terminal on stdin nobody can answer, so it refuses, naming the flag that skips the question.
pub fn confirm(question: &str) -> Result<bool, String> {
    Ok(matches!(
        answer(question)?.as_str(),
        "y" | "Y" | "yes" | "YES"
    ))
}

/// The answer typed to `question`, trimmed: for a confirmation that wants a word typed out (a
/// bulk delete wants `delete`). Refuses without a terminal, as `confirm` does.
pub fn answer(question: &str) -> Result<String, String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(
            "refusing to apply without confirmation: stdin is not a terminal (pass --yes, or --dry-run to see the plan)"
                .into(),
        );
    }
    // The question names org text (a connection label): through the one output path.
    super::output::err(question);
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| e.to_string())?;
    Ok(answer.trim().to_string())
}
