// The status screens, each reached the way a shopper would see it: a payment created on the
// devserver and driven by `simulate` actions. Shared by the accessibility test and the
// screenshots script.
import { api } from './lib.js';

/** Merchant options of the pay screen, on: as checkout link flags (`&refund-address&more-time`)
 * and as the element's boolean attributes. */
const OPTIONS_ON = { 'refund-address': true, 'more-time': true };

/** A bank-rail payment's create fields, and what its screen shows. */
const bank = (network, currency) => ({ network, currency, fiat: undefined });
const BANK = { shows: ['bank', 'qr', 'bank-scan'] };

/**
 * screen name → [status the form shows, simulate actions, extra create fields,
 *                extra link parameters / element attributes (a value of `true` is a flag),
 *                what makes it this screen: { click: a testid the shopper clicks first,
 *                  shows: testids then on screen, says: text of the status headline }]
 * The create fields carry a fiat price (25.00 USD) only for the USD stablecoin; a screen in
 * another currency sets `fiat: undefined` (dropped by JSON.stringify): no made-up price.
 */
export const SCREENS = {
  awaiting_payment: ['awaiting_payment', [], {
    options: [{ currency: 'BTC', network: 'bitcoin', amount: '0.00025' }, { currency: 'ETH', network: 'ethereum', amount: '0.0071' }],
  }],
  // The pay screen with the merchant options on: the refund-address field and "Need more time?".
  pay_options: ['awaiting_payment', [], { merchant: 'Example Store' }, OPTIONS_ON, { shows: ['refund', 'ask-time'] }],
  // After "I've sent the payment": "Looking for your payment…".
  looking: ['awaiting_payment', [], {}, {}, { click: 'sent-it', shows: ['looking'] }],
  // Bitcoin with a Lightning invoice: one BIP-321 QR and the "Pay with" choice.
  lightning: ['awaiting_payment', [], {
    network: 'bitcoin', currency: 'BTC', amount: '0.0025', lightning: true, fiat: undefined,
  }, {}, { shows: ['way-tab', 'unified-hint'] }],
  // Seen in the network, no confirmation yet: "Payment detected in the network…".
  confirming: ['confirming', ['pay'], { confirmations_required: 2 }, {}, { says: 'Payment detected in the network' }],
  // k of N: "confirming (1 of 3 confirmations)".
  confirming_k: ['confirming', ['pay', 'confirm'], { confirmations_required: 3 }, {}, { says: 'confirming (1 of 3 confirmations)' }],
  underpaid: ['underpaid', ['pay_partial'], {}],
  // Short by an exchange's withdrawal fee (1 %): the remainder and why.
  underpaid_fee: ['underpaid', ['pay_short'], {}, {}, { shows: ['fee-hint'] }],
  // With the receipt: transaction link, time, reference, order, merchant, "Print receipt".
  paid: ['paid', ['pay'], {}, {}, { shows: ['receipt'] }],
  // Paid after the deadline: "Payment received after the deadline", then the receipt.
  late_paid: ['paid', ['expire', 'pay_late'], {}, {}, { shows: ['late', 'receipt'] }],
  overpaid: ['overpaid', ['pay_over'], {}],
  expired: ['expired', ['expire'], {}],
  expired_partial: ['expired', ['pay_partial', 'expire'], {}],
  failed: ['failed', ['fail'], {}],
  cancelled: ['cancelled', ['cancel'], {}],
  refunded: ['refunded', ['pay', 'refund'], {}],
  // Bank rails (issue 16): the beneficiary, the account, the reference and the scheme's QR for
  // a banking app (SEPA's EPC code, the Swiss QR-bill with its cross, Pix with "copia e cola",
  // PayNow, PromptPay, DuitNow, UPI with its app link). No fiat price: the amount is fiat.
  bank_sepa_epc: ['awaiting_payment', [], bank('sepa_epc', 'EUR'), {}, BANK],
  bank_swiss_qr: ['awaiting_payment', [], bank('swiss_qr', 'CHF'), {}, BANK],
  bank_pix: ['awaiting_payment', [], bank('pix', 'BRL'), {}, { shows: [...BANK.shows, 'address'] }],
  bank_paynow: ['awaiting_payment', [], bank('paynow', 'SGD'), {}, BANK],
  bank_promptpay: ['awaiting_payment', [], bank('promptpay', 'THB'), {}, BANK],
  bank_duitnow: ['awaiting_payment', [], bank('duitnow', 'MYR'), {}, BANK],
  bank_upi: ['awaiting_payment', [], bank('upi', 'INR'), {}, { shows: [...BANK.shows, 'wallet-link'] }],
};

/** Creates a payment and drives it to `screen`; returns the payment id, the status shown and
 * the screen's link parameters. */
export async function paymentIn(base, screen) {
  const [status, actions, extra, params = {}] = SCREENS[screen];
  const p = await api(base, '/api/payments', {
    amount: '25', currency: 'USDT', network: 'tron', merchant: 'Example Store', description: 'Order #1042',
    fiat: { amount: '25.00', currency: 'USD' }, return_url: `${base}/thanks`, expires_in: 900, ...extra,
  });
  let last = p;
  for (const action of actions) {
    // The backend's times are whole seconds: a late payment made in the deadline's own second
    // has `paid_at` equal to `expires_at`, which is on time. It lands in the next second.
    if (action === 'pay_late') await new Promise((r) => setTimeout(r, Date.parse(last.expires_at) + 1_000 - Date.now()));
    last = await api(base, `/api/payments/${p.id}/simulate`, { action });
  }
  return { id: p.id, status, params };
}

/** Waits until `screen` is shown in `scope` (the page, or a locator such as `pay-form`), doing
 * what a shopper does to reach it (a click) first. */
export async function screenShown(scope, screen) {
  const [status, , , , { click, shows = [], says } = {}] = SCREENS[screen];
  await scope.locator(`[data-status="${status}"]`).waitFor();
  if (says) await scope.locator('.pf-headline', { hasText: says }).waitFor();
  if (click) await scope.getByTestId(click).click();
  for (const testid of shows) await scope.getByTestId(testid).first().waitFor();
}

/** Link parameters as the hosted checkout takes them: `&key=value`, or `&key` for a flag. */
const query = (params) => Object.entries(params)
  .map(([k, v]) => (v === true ? `&${k}` : `&${k}=${encodeURIComponent(v)}`)).join('');

/** The same as element attributes: ` key="value"`, or ` key` for a boolean attribute. */
export const attributes = (params = {}) => Object.entries(params)
  .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${v}"`)).join('');

/** The hosted checkout page for a payment (opened directly, as after a redirect). */
export const checkoutUrl = (base, id, theme = 'light', lang = 'en', params = {}) =>
  `${base}/checkout.html?src=/api/payments/${id}&theme=${theme}&lang=${lang}${query(params)}`;
