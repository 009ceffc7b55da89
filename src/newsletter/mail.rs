//! The `.eml`: a MIME `multipart/alternative` message, the plain text first
//! and the HTML second (clients show the last part they can), built with
//! the `mail-builder` crate. Its `Date` is the end of the week and its
//! `Message-ID` names the week and the site's host; the MIME boundary comes
//! from the parts' digest rather than the clock, so the same edition always
//! makes the same bytes.

use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::url::URL;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;
use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Failed};
use crate::pipeline::Letter;

/// The message, ready for any mail tool (`curl --upload-file`, `msmtp`,
/// `sendmail -t`).
pub(super) fn message(letter: &Letter, html: &str, text: &str) -> Result<Vec<u8>, Failed> {
    let host = url::Url::parse(&letter.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into());
    let digest = Sha256::new()
        .chain_update(text.as_bytes())
        .chain_update([0])
        .chain_update(html.as_bytes())
        .finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    // "=_" never occurs in quoted-printable or base64 text, so the parts
    // cannot contain the boundary.
    let boundary = format!("=_edition-{}-{hex}", letter.week.id());
    let body = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", boundary),
        vec![
            MimePart::new("text/plain", text),
            MimePart::new("text/html", html),
        ],
    );
    let mut builder = MessageBuilder::new()
        .message_id(format!("edition-{}@{host}", letter.week.id()))
        .date(letter.ended.unix_timestamp())
        .subject(letter.subject.as_str());
    if let Some(from) = &letter.from {
        builder = builder.from(address(from)?);
    }
    if let Some(unsubscribe) = &letter.unsubscribe {
        builder = builder.header("List-Unsubscribe", URL::new(unsubscribe.trim()));
    }
    let mut bytes = Vec::new();
    builder.body(body).serialize(&mut bytes);
    Ok(bytes)
}

/// `Desk <desk@example.org>`, `"Desk" <desk@example.org>` or `desk@example.org`.
fn address(written: &str) -> Result<Address<'_>, Failed> {
    let written = written.trim();
    let (name, email) = match written.rsplit_once('<') {
        Some((name, rest)) => {
            let email = rest.strip_suffix('>').unwrap_or(rest).trim();
            let name = name.trim().trim_matches('"').trim();
            ((!name.is_empty()).then_some(name), email)
        }
        None => (None, written),
    };
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !email.contains(char::is_whitespace)
    });
    if !valid {
        return Err(Failed(vec![Diagnostic::error(
            crate::config::CONFIG_FILE,
            format!("`newsletter_from`: `{written}` is not an address such as `Briefing desk <desk@example.org>`"),
        )]));
    }
    Ok(Address::new_address(name, email))
}

#[cfg(test)]
mod tests {
    use super::address;

    #[test]
    fn addresses_are_read_as_written() {
        assert!(address("Briefing desk <desk@example.org>").is_ok());
        assert!(address("\"Desk\" <desk@example.org>").is_ok());
        assert!(address("desk@example.org").is_ok());
        assert!(address("Desk <desk>").is_err());
        assert!(address("not an address").is_err());
    }
}
