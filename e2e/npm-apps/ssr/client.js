// The browser: hydrates the server's HTML; the element's events reach onPaid, and loadPayform()
// resolves Payform here.
import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { loadPayform } from 'payform/loader';
import { App } from './app.js';

const log = (line) => {
  const item = document.createElement('li');
  item.textContent = line;
  document.getElementById('log').append(item);
};
const pay = new URLSearchParams(location.search).get('pay');
const server = document.getElementById('server-loader').textContent.replace('server loadPayform: ', '');
hydrateRoot(document.getElementById('root'),
  createElement(App, { pay, server, onPaid: (event) => log(`paid ${event.detail.payment.id}`) }),
  { onRecoverableError: (error) => log(`hydration error ${error.message}`) });
loadPayform().then((payform) => log(`loadPayform ${payform.version}`), (error) => log(`loadPayform failed ${error.code}`));
