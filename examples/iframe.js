import { openCheckout } from '../payform.js';

const params = new URLSearchParams(location.search);
// The checkout's own origin (defaults to this one); the payment URL is relative to it.
const checkout = new URL('/checkout.html', params.get('checkout_origin') || location.origin);
checkout.searchParams.set('src', params.get('src') || '/api/payments/demo');
checkout.searchParams.set('poll-interval', params.get('poll') || '3000');
window.checkoutHandle = openCheckout(checkout.href, { container: document.getElementById('form') });
