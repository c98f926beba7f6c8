//! PINs for scripts, other than the environment: a file descriptor (`--pin-fd`, Linux and
//! macOS: read through `/dev/fd/N`, which keeps the code free of unsafe descriptor handling)
//! and standard input (`--pin-stdin`, every system; Windows has no `/dev/fd`, and handing a
//! raw handle over would need unsafe code). Only the first line is used; the buffer is
//! zeroized.

use std::io::{BufRead, Read};

use kyso_core::signer::{Secret, SignerError};
use kyso_core::Error;
use zeroize::Zeroizing;

/// Longest line read (a PIN or password is far shorter).
const MAX_LINE: u64 = 4096;

/// The first line of `text`, as a secret; `text` is wiped.
pub(crate) fn first_line(text: String) -> Secret {
    let text = Zeroizing::new(text);
    let line = text.lines().next().unwrap_or("");
    Secret::new(line.to_string())
}

/// The PIN from file descriptor `fd`.
pub(crate) fn from_fd(fd: u32) -> Result<Secret, Error> {
    if cfg!(windows) {
        return Err(Error::Signer(SignerError::Setup(
            "--pin-fd is not available on Windows; pipe the PIN into --pin-stdin instead".into(),
        )));
    }
    let mut text = String::new();
    std::fs::File::open(format!("/dev/fd/{fd}"))?
        .take(MAX_LINE)
        .read_to_string(&mut text)?;
    Ok(first_line(text))
}

/// The PIN from the first line of standard input.
pub(crate) fn from_stdin() -> Result<Secret, Error> {
    let mut text = String::new();
    std::io::stdin().lock().take(MAX_LINE).read_line(&mut text)?;
    if text.is_empty() {
        return Err(Error::Signer(SignerError::Setup(
            "--pin-stdin: nothing was read from standard input".into(),
        )));
    }
    Ok(first_line(text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_first_line_counts() {
        assert_eq!(super::first_line("123456\r\nrest".into()).expose(), "123456");
        assert_eq!(super::first_line("".into()).expose(), "");
    }
}
