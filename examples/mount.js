import { mount } from '../payform.js';

const params = new URLSearchParams(location.search);
const target = document.getElementById('form');
const handle = await mount(target, {
  src: params.get('src') || '/api/payments/demo',
  preset: 'payform',
  pollInterval: Number(params.get('poll') || 3000),
});
window.formHandle = handle;
document.getElementById('destroy').addEventListener('click', () => handle.destroy());
