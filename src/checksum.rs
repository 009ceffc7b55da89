//! The one content hash: SHA-256, in lowercase hex. Fingerprinted asset
//! names, the search bundle's file names and the publish manifests all name
//! bytes by it, so it is written once and cannot drift between them.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`: 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_the_standard_sha256_in_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
