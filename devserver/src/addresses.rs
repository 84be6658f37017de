//! Fresh, checksum-valid receiving addresses for the simulated payments, one per payment as a
//! real provider would hand out: bech32 (bitcoin, litecoin), base58check (dogecoin, tron),
//! EIP-55 (EVM chains), base58 32-byte keys (solana). Nobody holds the keys: they are for
//! display and tests only.

use payform_core::network::{Family, Network};

/// A BOLT #11 example invoice (mainnet, 2500 µBTC), used for every simulated Lightning payment.
/// From the "Examples" section of BOLT #11 (lightning/bolts, 11-payment-encoding.md).
/// Its amount is fixed, so simulated Lightning payments must be for [`LIGHTNING_AMOUNT`].
pub const LIGHTNING_AMOUNT: &str = "0.0025";
pub const LIGHTNING_INVOICE: &str = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

/// A small deterministic generator (splitmix64), seeded per payment.
pub struct Seed(pub u64);

impl Seed {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        out
    }
}

fn base58check(version: u8, payload: &[u8; 20]) -> String {
    let mut data = vec![version];
    data.extend_from_slice(payload);
    bs58::encode(data).with_check().into_string()
}

/// EIP-55 mixed-case checksum encoding of a 20-byte address (the form's own encoder).
fn eip55(bytes: &[u8; 20]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("0x{}", payform_core::address::eip55(&hex))
}

fn segwit_v0(hrp: &str, program: &[u8; 20]) -> String {
    let hrp = bech32::Hrp::parse(hrp).expect("static hrp is valid");
    bech32::segwit::encode_v0(hrp, program).expect("a 20-byte v0 program always encodes")
}

/// A new address for `network`.
pub fn generate(network: Network, seed: &mut Seed) -> String {
    match (network.family(), network) {
        (_, Network::Bitcoin) => segwit_v0("bc", &seed.bytes()),
        (_, Network::Litecoin) => segwit_v0("ltc", &seed.bytes()),
        (_, Network::Dogecoin) => base58check(0x1e, &seed.bytes()),
        (Family::Lightning, _) => LIGHTNING_INVOICE.to_owned(),
        (Family::Evm, _) => eip55(&seed.bytes()),
        (Family::Tron, _) => base58check(0x41, &seed.bytes()),
        (Family::Solana, _) => bs58::encode(seed.bytes::<32>()).into_string(),
        (Family::Utxo, _) => segwit_v0("bc", &seed.bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_network_gets_an_address_the_form_accepts() {
        let mut seed = Seed(7);
        for n in Network::ALL {
            let a = generate(n, &mut seed);
            assert!(payform_core::address::validate(n, &a).is_ok(), "{n}: {a}");
        }
        assert!(generate(Network::Tron, &mut seed).starts_with('T'));
        assert!(generate(Network::Dogecoin, &mut seed).starts_with('D'));
    }
}
