// A merchant's Vite + React page: the payment id comes in the page's query (?pay=pay_…).
import { createElement, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PayForm } from 'payform/react';

const pay = new URLSearchParams(location.search).get('pay');
const log = (line) => {
  const item = document.createElement('li');
  item.textContent = line;
  document.getElementById('log').append(item);
};

createRoot(document.getElementById('app')).render(
  createElement(StrictMode, null, createElement(PayForm, {
    src: `/api/payments/${pay}`,
    pollInterval: 1000,
    onReady: (event) => log(`ready ${event.detail.payment.id}`),
    onPaid: (event) => log(`paid ${event.detail.payment.id}`),
    onError: (event) => log(`error ${event.detail.code}`),
  })),
);
