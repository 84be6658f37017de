// The wallet module's checks, without a browser (js/payform-wallet.js's exported pure parts):
// what a wallet announces is shown only as bounded text and a bounded data:image icon, and its
// errors are read by the step they happened at. The browser flow is wallet.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanName, cleanIcon, classify } from '../../js/payform-wallet.js';

test('a wallet name is plain text: control and bidi characters removed, spaces folded, at most 40 characters', () => {
  assert.equal(cleanName('  Meta\u202eMask\n '), 'MetaMask');
  assert.equal(cleanName('Rabby\u200f \u2066Wallet\u2069'), 'Rabby Wallet');
  assert.equal(cleanName('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>', 'kept as text: the module writes it with textContent');
  const long = cleanName('W'.repeat(300));
  assert.equal([...long].length, 40);
  assert.ok(long.endsWith('…'));
  assert.equal(cleanName('\u0000\u0007\u200e'), '', 'nothing left: the locale\'s "your browser wallet"');
  assert.equal([...cleanName('🦊'.repeat(50))].length, 40, 'cut by characters, not UTF-16 units');
});

test('an icon is shown only as a bounded data:image URI of an image type, with nothing that ends an attribute', () => {
  const svg = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=';
  assert.equal(cleanIcon(svg), svg);
  assert.equal(cleanIcon('data:image/PNG;base64,iVBORw0KGgo='), 'data:image/PNG;base64,iVBORw0KGgo=');
  for (const bad of [
    'https://evil.example/icon.png',
    'javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'data:image/png;base64,abc" onerror="x',
    'data:image/png;base64,',
    'data:image/bmp;base64,Qk0=',
    'DATA:image/png;base64,iVBORw0KGgo=',
    'data:image/png;base64,iVBOR w0K',
  ]) assert.equal(cleanIcon(bad), '', bad);
  const head = 'data:image/png;base64,';
  assert.equal(cleanIcon(head + 'A'.repeat(64 * 1024 - head.length)).length, 64 * 1024, 'exactly 64 KiB is shown');
  assert.equal(cleanIcon(head + 'A'.repeat(64 * 1024 - head.length + 1)), '', 'one byte more is not');
});

test('a failure is read by its code and the step it happened at', () => {
  const at = (step, code, extra = {}) => classify({ step, code, ...extra });
  assert.equal(at('send', 4001), 'rejected');
  assert.equal(at('connect', 4001), 'rejected');
  assert.equal(at('switch', 4001), 'wrong_chain', 'declining the switch is refusing the chain');
  assert.equal(at('switch', 4902), 'unknown_chain');
  assert.equal(at('switch', -32603, { nested: 4902 }), 'unknown_chain', 'MetaMask Mobile nests it');
  assert.equal(at('send', -32603), 'other');
  assert.equal(at('add', 4001), 'unknown_chain', 'declining to add it');
  assert.equal(at('add', -32002), 'pending');
  assert.equal(at('connect', 4100), 'locked');
  assert.equal(at('send', 4200), 'unsupported');
  assert.equal(at('send', 4900), 'disconnected');
  assert.equal(at('send', 4901), 'disconnected');
  assert.equal(at('send', -32000, { message: 'Insufficient funds for gas * price + value' }), 'insufficient_funds');
  assert.equal(at('send', -32000, { message: 'nonce too low' }), 'other');
  assert.equal(classify({ step: 'send', tag: 'timeout' }), 'no_answer');
  assert.equal(classify({ step: 'connect', tag: 'gone' }), 'disconnected');
  assert.equal(classify({ step: 'switch', tag: 'wrong_chain' }), 'wrong_chain');
  assert.equal(classify({ step: 'send', tag: 'bad_reply' }), 'bad_reply');
});
