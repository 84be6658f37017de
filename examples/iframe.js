import { openCheckout } from '../payform.js';

const params = new URLSearchParams(location.search);
// The checkout's own origin (defaults to this one); the payment URL is relative to it.
const checkout = new URL('/checkout.html', params.get('checkout_origin') || location.origin);
checkout.searchParams.set('src', params.get('src') || '/api/payments/demo');
checkout.searchParams.set('poll-interval', params.get('poll') || '3000');
// The merchant's offers, passed on as the checkout link's flags.
for (const flag of ['refund-address', 'more-time']) if (params.has(flag)) checkout.searchParams.set(flag, '');
window.checkoutHandle = openCheckout(checkout.href, { container: document.getElementById('form') });
