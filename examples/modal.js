import { openCheckout } from '../payform.js';

const params = new URLSearchParams(location.search);
document.getElementById('pay').addEventListener('click', () => {
  const checkout = new URL('/checkout.html', location.origin);
  checkout.searchParams.set('src', params.get('src') || '/api/payments/demo');
  checkout.searchParams.set('poll-interval', params.get('poll') || '3000');
  window.checkoutHandle = openCheckout(checkout.href, { closeDelay: Number(params.get('close_delay') || 2500) });
});
