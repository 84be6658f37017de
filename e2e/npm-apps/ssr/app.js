// The page, rendered on the server and hydrated in the browser. `server` is what
// loadPayform() resolved during server rendering (it must be null there).
import { createElement } from 'react';
import { PayForm } from 'payform/react';

export function App({ pay, server, onPaid }) {
  return createElement('main', null,
    createElement('h1', null, 'Checkout'),
    createElement('p', { id: 'server-loader' }, `server loadPayform: ${server}`),
    createElement(PayForm, { id: 'form', src: `/api/payments/${pay}`, pollInterval: 1000, lang: 'de', onPaid }));
}
