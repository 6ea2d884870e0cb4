//! Digests that registries publish for their artifacts, and checking downloaded bytes
//! against them.

use base64::Engine;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use std::io::{self, Read, Write};

/// A digest an artifact must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expected {
    Sha512(Vec<u8>),
    Sha256(Vec<u8>),
    Sha1(Vec<u8>),
}

impl Expected {
    /// The strongest supported digest in an SRI string (`sha512-BASE64 sha1-BASE64 …`).
    pub fn from_sri(sri: &str) -> Option<Expected> {
        let decode = |b64: &str| base64::engine::general_purpose::STANDARD.decode(b64).ok();
        let mut best: Option<Expected> = None;
        for token in sri.split_whitespace() {
            // Options after `?` are allowed by the SRI grammar and carry nothing we need.
            let token = token.split('?').next().unwrap_or(token);
            let Some((algo, b64)) = token.split_once('-') else {
                continue;
            };
            let candidate = match algo {
                "sha512" => decode(b64).filter(|d| d.len() == 64).map(Expected::Sha512),
                "sha256" => decode(b64).filter(|d| d.len() == 32).map(Expected::Sha256),
                "sha1" => decode(b64).filter(|d| d.len() == 20).map(Expected::Sha1),
                _ => None,
            };
            if let Some(candidate) = candidate {
                if best
                    .as_ref()
                    .is_none_or(|b| candidate.strength() > b.strength())
                {
                    best = Some(candidate);
                }
            }
        }
        best
    }

    /// A hex SHA-1 (npm's legacy `shasum`).
    pub fn sha1_hex(hex: &str) -> Option<Expected> {
        decode_hex(hex)
            .filter(|d| d.len() == 20)
            .map(Expected::Sha1)
    }

    /// A hex SHA-256 (PyPI's `hashes.sha256` and `#sha256=` fragments).
    pub fn sha256_hex(hex: &str) -> Option<Expected> {
        decode_hex(hex)
            .filter(|d| d.len() == 32)
            .map(Expected::Sha256)
    }

    fn strength(&self) -> u8 {
        match self {
            Expected::Sha1(_) => 1,
            Expected::Sha256(_) => 2,
            Expected::Sha512(_) => 3,
        }
    }

    /// Human-readable form for error messages.
    pub fn describe(&self) -> String {
        match self {
            Expected::Sha512(d) => format!("sha512:{}", encode_hex(d)),
            Expected::Sha256(d) => format!("sha256:{}", encode_hex(d)),
            Expected::Sha1(d) => format!("sha1:{}", encode_hex(d)),
        }
    }
}

/// Hashes bytes as they are written: always SHA-256 (recorded in the report), plus the
/// algorithm the registry published.
pub(crate) struct HashingWriter<W> {
    inner: W,
    sha256: Sha256,
    sha512: Option<Sha512>,
    sha1: Option<Sha1>,
}

/// The digests of one artifact.
pub(crate) struct Digests {
    pub sha256: Vec<u8>,
    sha512: Option<Vec<u8>>,
    sha1: Option<Vec<u8>>,
}

impl Digests {
    /// The actual digest in the same algorithm as `expected`, when it does not match.
    pub fn mismatch(&self, expected: &Expected) -> Option<String> {
        let (actual, want, algo) = match expected {
            Expected::Sha512(want) => (self.sha512.as_deref(), want, "sha512"),
            Expected::Sha256(want) => (Some(self.sha256.as_slice()), want, "sha256"),
            Expected::Sha1(want) => (self.sha1.as_deref(), want, "sha1"),
        };
        match actual {
            Some(actual) if actual == want.as_slice() => None,
            Some(actual) => Some(format!("{algo}:{}", encode_hex(actual))),
            None => Some(format!("{algo}: not computed")),
        }
    }

    pub fn sha256_hex(&self) -> String {
        encode_hex(&self.sha256)
    }
}

impl<W: Write> HashingWriter<W> {
    pub fn new(inner: W, expected: Option<&Expected>) -> Self {
        HashingWriter {
            inner,
            sha256: Sha256::new(),
            sha512: matches!(expected, Some(Expected::Sha512(_))).then(Sha512::new),
            sha1: matches!(expected, Some(Expected::Sha1(_))).then(Sha1::new),
        }
    }

    pub fn finish(self) -> (W, Digests) {
        let digests = Digests {
            sha256: self.sha256.finalize().to_vec(),
            sha512: self.sha512.map(|h| h.finalize().to_vec()),
            sha1: self.sha1.map(|h| h.finalize().to_vec()),
        };
        (self.inner, digests)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha256.update(&buf[..n]);
        if let Some(h) = self.sha512.as_mut() {
            h.update(&buf[..n]);
        }
        if let Some(h) = self.sha1.as_mut() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Digests of everything `reader` yields.
pub(crate) fn digest_reader(
    mut reader: impl Read,
    expected: Option<&Expected>,
) -> io::Result<Digests> {
    let mut writer = HashingWriter::new(io::sink(), expected);
    io::copy(&mut reader, &mut writer)?;
    Ok(writer.finish().1)
}

pub(crate) fn encode_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    let hex = hex.trim();
    if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sri_picks_the_strongest_digest() {
        let sha1 = base64::engine::general_purpose::STANDARD.encode([1u8; 20]);
        let sha512 = base64::engine::general_purpose::STANDARD.encode([2u8; 64]);
        let sri = format!("sha1-{sha1} sha512-{sha512}");
        assert_eq!(
            Expected::from_sri(&sri),
            Some(Expected::Sha512(vec![2u8; 64]))
        );
        assert_eq!(Expected::from_sri("md5-abc"), None);
        assert_eq!(Expected::from_sri("sha512-!!!"), None);
    }

    #[test]
    fn digests_detect_mismatch() {
        let data = b"hello";
        let good = Expected::sha256_hex(
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        )
        .unwrap();
        let digests = digest_reader(&data[..], Some(&good)).unwrap();
        assert_eq!(digests.mismatch(&good), None);
        let bad = Expected::Sha256(vec![0; 32]);
        assert!(digests.mismatch(&bad).is_some());
        assert_eq!(Expected::sha1_hex("zz"), None);
    }
}
