//! Receiving addresses: the check that an address is well-formed for its network before the
//! form shows it as payable.
//!
//! This version checks each family's alphabet, prefix and length (base58, bech32, hex, BOLT11),
//! so a garbled, truncated or wrong-network address is refused. Checksum verification per
//! network (base58check, bech32/bech32m, EIP-55, BOLT11) is the next step of this module.

use crate::network::{Family, Network};

/// Why an address cannot be shown as payable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("the payment has no address")]
    Empty,
    #[error("address \"{address}\" is not a valid {network} address: {reason}")]
    Invalid { address: String, network: Network, reason: &'static str },
}

impl AddressError {
    pub fn code(&self) -> &'static str {
        "invalid_address"
    }
}

const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BECH32: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// Checks `address` for `network` and returns its canonical text (bech32 lower-cased).
pub fn validate(network: Network, address: &str) -> Result<String, AddressError> {
    if address.is_empty() {
        return Err(AddressError::Empty);
    }
    let invalid = |reason| AddressError::Invalid { address: address.to_owned(), network, reason };
    let all_in = |s: &str, alphabet: &str| s.chars().all(|c| alphabet.contains(c));
    match network.family() {
        Family::Utxo => {
            let hrp = match network {
                Network::Litecoin => "ltc1",
                Network::Dogecoin => "doge1",
                _ => "bc1",
            };
            let lower = address.to_ascii_lowercase();
            if let Some(data) = lower.strip_prefix(hrp) {
                if address != lower && address != address.to_ascii_uppercase() {
                    return Err(invalid("mixed case"));
                }
                if !all_in(data, BECH32) || !(39..=59).contains(&address.len()) {
                    return Err(invalid("not a bech32 address of this network"));
                }
                return Ok(lower);
            }
            let first = match network {
                Network::Litecoin => "LM3",
                Network::Dogecoin => "DA9",
                _ => "13",
            };
            if !all_in(address, BASE58) || !(26..=35).contains(&address.len()) {
                return Err(invalid("not a base58 address"));
            }
            if !address.starts_with(|c| first.contains(c)) {
                return Err(invalid("the prefix belongs to another network"));
            }
            Ok(address.to_owned())
        }
        Family::Lightning => {
            let lower = address.to_ascii_lowercase();
            let Some((hrp, data)) = lower.rsplit_once('1') else {
                return Err(invalid("not a BOLT11 invoice"));
            };
            if !hrp.starts_with("lnbc") || !all_in(data, BECH32) || data.len() < 104 {
                return Err(invalid("not a mainnet BOLT11 invoice (lnbc…)"));
            }
            Ok(lower)
        }
        Family::Evm => {
            let hex = address.strip_prefix("0x").ok_or_else(|| invalid("EVM addresses start with 0x"))?;
            if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid("expected 0x and 40 hex digits"));
            }
            Ok(address.to_owned())
        }
        Family::Tron => {
            if !address.starts_with('T') || address.len() != 34 || !all_in(address, BASE58) {
                return Err(invalid("Tron addresses are 34 base58 characters starting with T"));
            }
            Ok(address.to_owned())
        }
        Family::Solana => {
            if !(32..=44).contains(&address.len()) || !all_in(address, BASE58) {
                return Err(invalid("Solana addresses are 32 to 44 base58 characters"));
            }
            Ok(address.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Network::*;

    #[test]
    fn accepts_well_formed_addresses() {
        assert_eq!(
            validate(Bitcoin, "BC1QW508D6QEJXTDG4C3ZXKT0JQX6JT8ENK7LG83U2X").unwrap(),
            "bc1qw508d6qejxtdg4c3zxkt0jqx6jt8enk7lg83u2x"
        );
        assert!(validate(Bitcoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").is_ok());
        assert!(validate(Tron, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").is_ok());
        assert!(validate(Ethereum, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").is_ok());
        assert!(validate(Solana, "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v").is_ok());
    }

    #[test]
    fn refuses_wrong_network_and_garbage() {
        assert!(validate(Tron, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").is_err());
        assert!(validate(Litecoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").is_err());
        assert!(validate(Bitcoin, "tb1qw508d6qejxtdg4c3zxkt0jqx6jt8enk7lg83u2x").is_err());
        assert!(validate(Ethereum, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe").is_err());
        assert_eq!(validate(Bitcoin, ""), Err(AddressError::Empty));
    }
}
