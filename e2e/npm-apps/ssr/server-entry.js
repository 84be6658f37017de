// Server rendering: every entry of the package imports on a server (no window, no HTMLElement),
// loadPayform() resolves null there, and <PayForm> renders <pay-form> with its attributes.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import Payform from 'payform';
import { loadPayform } from 'payform/loader';
import { App } from './app.js';

export async function render(pay) {
  const loaded = await loadPayform();
  const html = renderToString(createElement(App, { pay, server: String(loaded) }));
  return { html, version: Payform.version };
}
