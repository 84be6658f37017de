// The status screens, each reached the way a shopper would see it: a payment created on the
// devserver and driven by `simulate` actions. Shared by the accessibility test and the
// screenshots script.
import { api } from './lib.js';

/** screen name → [status the form shows, simulate actions, extra create fields] */
export const SCREENS = {
  awaiting_payment: ['awaiting_payment', [], {
    options: [{ currency: 'BTC', network: 'bitcoin', amount: '0.00025' }, { currency: 'ETH', network: 'ethereum', amount: '0.0071' }],
  }],
  confirming: ['confirming', ['pay'], { confirmations_required: 2 }],
  underpaid: ['underpaid', ['pay_partial'], {}],
  paid: ['paid', ['pay'], {}],
  overpaid: ['overpaid', ['pay_over'], {}],
  expired: ['expired', ['expire'], {}],
  expired_partial: ['expired', ['pay_partial', 'expire'], {}],
  failed: ['failed', ['fail'], {}],
  cancelled: ['cancelled', ['cancel'], {}],
  refunded: ['refunded', ['pay', 'refund'], {}],
};

/** Creates a payment and drives it to `screen`; returns the payment id and the status shown. */
export async function paymentIn(base, screen) {
  const [status, actions, extra] = SCREENS[screen];
  const p = await api(base, '/api/payments', {
    amount: '25', currency: 'USDT', network: 'tron', merchant: 'Example Store', description: 'Order #1042',
    fiat: { amount: '25.00', currency: 'USD' }, return_url: `${base}/thanks`, expires_in: 900, ...extra,
  });
  for (const action of actions) await api(base, `/api/payments/${p.id}/simulate`, { action });
  return { id: p.id, status };
}

/** The hosted checkout page for a payment (opened directly, as after a redirect). */
export const checkoutUrl = (base, id, theme = 'light', lang = 'en') =>
  `${base}/checkout.html?src=/api/payments/${id}&theme=${theme}&lang=${lang}`;
