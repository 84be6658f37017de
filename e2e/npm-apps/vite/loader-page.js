// loadPayform() on demand: the page calls it when the shopper reaches payment (here: at once,
// and again when the test calls window.tryAgain()); each outcome is logged.
import { loadPayform } from 'payform/loader';

const log = (line) => {
  const item = document.createElement('li');
  item.textContent = line;
  document.getElementById('log').append(item);
};
document.addEventListener('payform:error', (event) => log(`document payform:error ${event.detail.code}`));

async function start() {
  try {
    const Payform = await loadPayform();
    log(`loaded ${Payform.version}`);
    const pay = new URLSearchParams(location.search).get('pay');
    const target = document.getElementById('pay');
    target.addEventListener('payform:paid', (event) => log(`paid ${event.detail.payment.id}`));
    await Payform.mount(target, { src: `/api/payments/${pay}` });
  } catch (error) {
    log(`rejected ${error.code}: ${error.message}`);
  }
}
window.tryAgain = start;
start();
