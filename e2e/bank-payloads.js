// The QR payloads of the bank rails, built independently of the form's Rust encoders (issue 16):
// from a payment JSON as the devserver returns it (native format), what each scheme's QR code
// must hold, byte for byte. Written from the schemes' texts, not from core/src/bank/, and checked
// against the schemes' published examples in e2e/tests/bank.test.js. Shared by that test and the
// engines test (e2e/engines/engines.test.js).
//
//   EPC069-12 (v3.0): "Quick Response Code: Guidelines to Enable Data Capture for the
//     Initiation of a SEPA Credit Transfer"; up to 12 LF-separated lines, nothing after the last
//     non-empty one; version 002, character set 1 (UTF-8); amount "EUR" + a plain decimal of at
//     most two decimals (the guidelines' own examples write "EUR12.3"; core/src/bank/epc.rs's
//     docs say it writes no trailing zeros either);
//   SIX, Swiss Implementation Guidelines for the QR-bill (v2.3): SPC 0200, coding 1, LF, a
//     structured (S) creditor address, the 7 reserved ultimate-creditor lines empty, amount with
//     exactly two decimals, no debtor (7 empty lines), QRR/SCOR/NON, message, trailer EPD, and
//     nothing after it when there is no billing information;
//   EMV QRCPS Merchant-Presented Mode v1.1: ID (2 digits) + length (2 digits, in characters) +
//     value; 63 = CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over everything up to and
//     including "6304"; the Pix (BCB, Manual de Padrões para Iniciação do Pix: template 26 with
//     GUI br.gov.bcb.pix and the key, 62.05 the txid), PayNow (SGQR: template 26, SG.PAYNOW,
//     proxy type, value, editable "0") and PromptPay (template 29, AID A000000677010111, 01 =
//     0066 + 9 digits) templates; 52 "0000", 53 the ISO 4217 numeric currency, 54 the amount, 58
//     the country, 59 the name, 60 the city, 62.01 the bill number; a code made for one payment's
//     amount is "dynamic" (01 = "12"); a static Pix code (the BR Code with a key) has no 01;
//     amounts with the currency's minor units (2 for all four currencies here);
//   NPCI, UPI Linking Specifications v1.6: upi://pay?pa=…&pn=…&tr=…&am=…&cu=INR, parameters in
//     the specification's order (pa, pn, mc, tid, tr, tn, am, mam, cu, url), values
//     percent-encoded as RFC 3986 (the unreserved characters kept), the UPI ID as is.
// A payload the backend sent (pix/paynow/promptpay with `payload: true`, every duitnow) is
// expected verbatim, after its CRC, currency, country and amount are checked here.
import assert from 'node:assert/strict';

export const utf8 = new TextEncoder();

/** CRC-16/CCITT-FALSE of `text`'s UTF-8 bytes, as four upper-case hex digits. */
export function crc16(text) {
  let crc = 0xffff;
  for (const byte of utf8.encode(text)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = (crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** One EMV data object: ID, length in characters (01–99), value. */
export function tlv(id, value) {
  const n = [...value].length;
  assert.ok(n >= 1 && n <= 99, `EMV data object ${id} of ${n} characters`);
  return id + String(n).padStart(2, '0') + value;
}

/** The root data objects, then "6304" and the CRC over all of it. */
export function emv(objects) {
  const body = objects.join('') + '6304';
  return body + crc16(body);
}

/** Reads one level of EMV data objects into { id: value } (for the backend's payloads). */
export function readTlv(text) {
  const out = {};
  const chars = [...text];
  for (let i = 0; i < chars.length;) {
    const id = chars.slice(i, i + 2).join(''), n = Number(chars.slice(i + 2, i + 4).join(''));
    assert.match(id + String(n), /^\d{2}\d+$/, `a data object header at ${i} of ${text}`);
    assert.ok(!(id in out), `data object ${id} twice`);
    out[id] = chars.slice(i + 4, i + 4 + n).join('');
    assert.equal([...out[id]].length, n, `data object ${id} is cut short`);
    i += 4 + n;
  }
  return out;
}

/** A decimal string ("25", "25.5", "1949.75") as a number of cents. */
export function cents(text) {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  assert.ok(m, `an amount with at most two decimals: ${text}`);
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}
/** Exactly two decimals: "25.00", "25.50". */
export const twoDecimals = (c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
/** A plain decimal without trailing zeros: "25", "25.5", "1949.75". */
export const plainDecimal = (c) => (c % 100n === 0n ? `${c / 100n}` : twoDecimals(c).replace(/0$/, ''));

export const electronic = (text) => text.replace(/[\s-]/g, '').toUpperCase();

/** EPC069-12: a SEPA credit transfer, version 002, UTF-8, for `due` cents. */
export function epcPayload(p, due, { purpose = '' } = {}) {
  const ref = p.reference ?? '';
  const rf = /^RF\d\d/i.test(ref);
  const lines = ['BCD', '002', '1', 'SCT', p.bic ?? '', p.beneficiary, electronic(p.address),
    `EUR${plainDecimal(due)}`, purpose, rf ? electronic(ref) : '', rf ? '' : ref, ''];
  while (lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}

/** A QR-IBAN: Swiss or Liechtenstein, institution identifier (positions 5–9) 30000–31999. */
export const isQrIban = (iban) => /^(CH|LI)/.test(iban) && Number(iban.slice(4, 9)) >= 30000 && Number(iban.slice(4, 9)) <= 31999;

/** SIX QR-bill (SPC 0200): creditor address S, no ultimate creditor, no debtor, no message. */
export function spcPayload(p, due) {
  const iban = electronic(p.address);
  const ref = p.reference ?? '';
  const [type, reference] = !ref ? ['NON', ''] : /^RF/i.test(ref) ? ['SCOR', electronic(ref)] : ['QRR', ref];
  assert.equal(type === 'QRR', isQrIban(iban), `${iban} with reference type ${type}: a QR-IBAN takes QRR, and only it`);
  const none = Array(7).fill('');
  const lines = ['SPC', '0200', '1', iban,
    'S', p.beneficiary, p.street ?? '', p.building ?? '', p.postcode, p.city, p.country,
    ...none, twoDecimals(due), p.currency, ...none, type, reference, '', 'EPD'];
  assert.equal(lines.length, 31);
  return lines.join('\n');
}

/** Pix static BR Code with a key: template 26 (GUI, key), BRL (986), BR, txid in 62.05. */
export function brCode(p, due) {
  return emv([
    tlv('00', '01'),
    tlv('26', tlv('00', 'br.gov.bcb.pix') + tlv('01', p.address)),
    tlv('52', '0000'), tlv('53', '986'),
    ...(due === null ? [] : [tlv('54', twoDecimals(due))]),
    tlv('58', 'BR'), tlv('59', p.beneficiary), tlv('60', p.city),
    tlv('62', tlv('05', p.reference ?? '***')),
  ]);
}

/** An EMV merchant code for `due` (dynamic: 01 = 12), with the bill number in 62.01. */
function merchantCode(account, currency, country, p, due) {
  return emv([
    tlv('00', '01'), tlv('01', '12'), account,
    tlv('52', '0000'), tlv('53', currency), tlv('54', twoDecimals(due)),
    tlv('58', country), tlv('59', p.beneficiary), tlv('60', p.city),
    ...(p.reference ? [tlv('62', tlv('01', p.reference))] : []),
  ]);
}

/** PayNow (SGQR): template 26: SG.PAYNOW, proxy type (0 mobile, 2 UEN), value, editable 0. */
export function paynowCode(p, due) {
  const mobile = p.address.startsWith('+');
  const account = tlv('26', tlv('00', 'SG.PAYNOW') + tlv('01', mobile ? '0' : '2') + tlv('02', p.address) + tlv('03', '0'));
  return merchantCode(account, '702', 'SG', p, due);
}

/** PromptPay: template 29: the AID and 01 = 0066 + the mobile number's 9 digits. */
export function promptpayCode(p, due) {
  const nine = p.address.replace(/^(\+66|0)/, '');
  assert.match(nine, /^\d{9}$/, `a Thai mobile number: ${p.address}`);
  const account = tlv('29', tlv('00', 'A000000677010111') + tlv('01', `0066${nine}`));
  return merchantCode(account, '764', 'TH', p, due);
}

/** RFC 3986: every byte but the unreserved characters as %XX. */
export const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** NPCI's upi://pay link: pa, pn, tr, am, cu in the specification's order. */
export function upiLink(p, due) {
  const tr = p.reference ? `&tr=${rfc3986(p.reference)}` : '';
  return `upi://pay?pa=${p.address}&pn=${rfc3986(p.beneficiary)}${tr}&am=${twoDecimals(due)}&cu=INR`;
}

export const isPayload = (address) => /^00020[12]/.test(address);

/** A backend's EMV payload, checked here: CRC, currency, country and amount (whole amount). */
export function checkGiven(p) {
  const payload = p.address;
  assert.equal(payload.slice(-8, -4), '6304', 'the CRC is the last data object');
  assert.equal(crc16(payload.slice(0, -4)), payload.slice(-4), 'the CRC of the backend\'s payload');
  const root = readTlv(payload);
  const [currency, country] = { pix: ['986', 'BR'], paynow: ['702', 'SG'], promptpay: ['764', 'TH'], duitnow: ['458', 'MY'] }[p.network];
  assert.deepEqual([root['53'], root['58'], root['54']], [currency, country, twoDecimals(cents(p.amount))]);
  return root;
}

/** What the QR must hold for `p` when `due` (a decimal string) is due. */
export function expectedPayload(p, due = p.due) {
  if (isPayload(p.address)) {
    checkGiven(p);
    return p.address;
  }
  const c = cents(due);
  switch (p.network) {
    case 'sepa_epc': return epcPayload(p, c);
    case 'swiss_qr': return spcPayload(p, c);
    case 'pix': return brCode(p, c);
    case 'paynow': return paynowCode(p, c);
    case 'promptpay': return promptpayCode(p, c);
    case 'upi': return upiLink(p, c);
    default: throw new Error(`no builder for ${p.network}`);
  }
}
