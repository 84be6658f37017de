// The type test: compiles against the packed package's declarations (tsc, strict). Every
// expect-error directive below marks a mistake the types must catch; an unused one fails.
import { useRef } from 'react';
import { PayForm } from 'payform/react';
import type { PayFormElement, PaidDetail, ErrorCode } from 'payform';
import { loadPayform } from 'payform/loader';

export function Checkout() {
  const ref = useRef<PayFormElement>(null);
  return (
    <>
      <PayForm
        ref={ref}
        src="/api/payments/pay_1"
        pollInterval={2000}
        theme="dark"
        onPaid={(event) => {
          const detail: PaidDetail = event.detail;
          console.log(detail.payment.amount, detail.payment.network);
        }}
        onError={(event) => {
          const code: ErrorCode = event.detail.code;
          console.log(code, event.detail.retry_in_ms);
        }}
      />
      {/* @ts-expect-error: not a theme */}
      <PayForm src="/x" theme="purple" />
      {/* @ts-expect-error: not an event of the form */}
      <PayForm src="/x" onPayed={() => {}} />
      <pay-form src="/api/payments/pay_2" poll-interval="2000" theme="auto" ref={ref} />
      {/* @ts-expect-error: not an attribute of <pay-form> */}
      <pay-form srcc="/x" />
    </>
  );
}

export async function preload(): Promise<string | null> {
  const payform = await loadPayform();
  if (payform === null) return null; // on a server
  const form = await payform.mount(document.body, { src: '/api/payments/pay_3', moreTime: true });
  form.refresh();
  // @ts-expect-error: pollInterval is a number
  await payform.mount(document.body, { src: '/x', pollInterval: 'fast' });
  return payform.version;
}

export function listen(element: PayFormElement) {
  element.addEventListener('payform:paid', (event) => console.log(event.detail.payment.id));
  element.addEventListener('payform:error', (event) => {
    const code: ErrorCode = event.detail.code;
    // @ts-expect-error: not an error code
    const wrong: ErrorCode = 'no_such_code';
    console.log(code, wrong);
  });
}
