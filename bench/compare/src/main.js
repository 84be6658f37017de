// The comparison page of `make bench`: what a checkout on a plain JavaScript stack does for the
// same first screen as Payform's. Fetches the payment JSON, renders merchant, amount, address
// and a QR <svg> of the address (what Payform encodes for Tron). Render functions, as a
// production Vue 2 build ships precompiled templates (the runtime-only build).
import Vue from 'vue';
import i18next from 'i18next';
import QRCode from 'qrcode';

const SRC = new URLSearchParams(location.search).get('src') || '/api/payments/demo';

i18next.init({
  lng: 'en',
  resources: {
    en: {
      translation: {
        pay: 'Pay {{merchant}}',
        send: 'Send exactly {{amount}} {{currency}}',
        to: 'to this {{network}} address',
        loading: 'Loading payment…',
        failed: 'The payment could not be loaded.',
        status: { awaiting_payment: 'Awaiting payment', paid: 'Paid', expired: 'Expired' },
      },
    },
  },
});
const t = (key, opts) => i18next.t(key, opts);

new Vue({
  el: '#app',
  data: { payment: null, qr: '', error: false },
  created() {
    fetch(SRC)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((p) => {
        this.payment = p;
        return QRCode.toString(p.address, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
      })
      .then((svg) => { this.qr = svg; })
      .catch(() => { this.error = true; });
  },
  render(h) {
    if (this.error) return h('main', { attrs: { id: 'app' } }, [h('p', t('failed'))]);
    const p = this.payment;
    if (!p) return h('main', { attrs: { id: 'app' } }, [h('p', t('loading'))]);
    return h('main', { attrs: { id: 'app' } }, [
      h('h1', t('pay', { merchant: p.merchant })),
      h('p', p.description),
      h('p', { class: 'amount' }, t('send', { amount: p.amount, currency: p.currency })),
      h('p', t('to', { network: p.network })),
      h('code', { class: 'address' }, p.address),
      h('div', { class: 'cmp-qr', domProps: { innerHTML: this.qr } }),
      h('p', { class: 'status' }, t(`status.${p.status}`)),
    ]);
  },
});
