// Type declarations for payform.js (the <pay-form> element, Payform.mount, Payform.openCheckout).

/** A payment status (the normalized model). Final: paid, overpaid, expired, failed, cancelled, refunded. */
export type PaymentStatus =
  | 'awaiting_payment' | 'confirming' | 'underpaid' | 'paid' | 'overpaid'
  | 'expired' | 'failed' | 'cancelled' | 'refunded';

/** The normalized payment in every event's detail. Amounts are exact decimal strings. */
export interface Payment {
  id: string;
  status: PaymentStatus;
  amount: string;
  currency: string;
  network: 'bitcoin' | 'lightning' | 'litecoin' | 'dogecoin' | 'ethereum' | 'bsc' | 'polygon'
    | 'arbitrum' | 'base' | 'tron' | 'solana';
  /** For lightning: the BOLT11 invoice. */
  address: string;
  paid: string;
  due: string;
  expires_at: string | null;
  server_time: string | null;
  confirmations: number | null;
  confirmations_required: number | null;
  fiat: { amount: string; currency: string } | null;
  description: string | null;
  merchant: string | null;
  return_url: string | null;
  options: { currency: string; network: string; src: string }[];
}

export interface ReadyDetail { payment: Payment }
export interface StatusDetail { status: PaymentStatus; previous: PaymentStatus | null; payment: Payment }
export interface PaidDetail { payment: Payment }
export interface ExpiredDetail { payment: Payment }
export interface FailedDetail { payment: Payment; reason: 'failed' | 'cancelled' | 'refunded' }
export interface ErrorDetail {
  /** Stable snake_case code: not_found, http_error, rate_limited, timeout, network_error,
   * malformed_response, invalid_payment, unknown_status, unsupported_value, unsupported_network,
   * unsupported_currency, invalid_amount, invalid_address, forbidden_address,
   * invoice_amount_mismatch, invalid_time, invalid_return_url, payment_changed, invalid_mapping,
   * unknown_preset, bad_config. */
  code: string;
  message: string;
  /** When the form retries by itself, in ms; null when it will not. */
  retry_in_ms: number | null;
}
export interface ResizeDetail { height: number }

/** The DOM events (bubbling, composed) on <pay-form>, the mount target or the checkout container. */
export interface PayformEventMap {
  'payform:ready': CustomEvent<ReadyDetail>;
  'payform:status': CustomEvent<StatusDetail>;
  'payform:paid': CustomEvent<PaidDetail>;
  'payform:expired': CustomEvent<ExpiredDetail>;
  'payform:failed': CustomEvent<FailedDetail>;
  'payform:error': CustomEvent<ErrorDetail>;
  /** openCheckout only: the iframe's content height. */
  'payform:resize': CustomEvent<ResizeDetail>;
  /** openCheckout only: the checkout was closed. */
  'payform:close': CustomEvent<Record<string, never>>;
}

export type Preset = 'payform' | 'heleket' | 'cryptomus' | 'nowpayments' | 'btcpay' | 'coinbase' | 'coingate' | 'opennode';

export interface MountOptions {
  /** The payment URL (a GET returning the payment JSON). */
  src?: string;
  /** The payment JSON itself (server-rendered pages); with src too, src keeps it live. */
  payment?: string;
  preset?: Preset;
  /** A declarative mapping (JSON text), see docs/backends.md. */
  mapping?: string;
  /** Milliseconds between polls (default 3000; clamped to 1000..600000). */
  pollInterval?: number;
  /** A Server-Sent Events URL pushing payment snapshots. */
  eventsSrc?: string;
  /** light (default), dark, or auto (follows prefers-color-scheme). */
  theme?: 'light' | 'dark' | 'auto';
  /** A BCP 47 tag (`de`, `pt-BR`) or `auto` (default: navigator.languages). 21 locales. */
  lang?: string;
  /** Base URL of the locale files (`<locales><lang>.json`); default: `locales/` next to payform.js. */
  locales?: string;
  /** Hosts (space or comma separated, exact names) a payment's return_url may send the shopper
   *  to, besides this page's host and src's host. Any other return_url is refused. */
  returnHosts?: string;
}

export interface FormHandle {
  /** Removes the form; stops every timer, request and listener. */
  destroy(): void;
  /** Asks the backend now. */
  refresh(): void;
}

export interface CheckoutOptions {
  /** Render inline in this element; without it, a modal dialog is opened. */
  container?: HTMLElement;
  /** Modal only: close after payform:paid (default true), after closeDelay ms (default 2500). */
  closeOnPaid?: boolean;
  closeDelay?: number;
  /** Initial iframe height in px (default 640; payform:resize adjusts it). */
  height?: number;
  title?: string;
}

export interface CheckoutHandle {
  /** The container (inline) or the modal overlay: the events are dispatched on it. */
  element: HTMLElement;
  frame: HTMLIFrameElement;
  close(): void;
}

export declare const version: string;
export declare function mount(target: HTMLElement, options: MountOptions): Promise<FormHandle>;
export declare function openCheckout(url: string, options?: CheckoutOptions): CheckoutHandle;
export declare const Payform: { mount: typeof mount; openCheckout: typeof openCheckout; version: string };
export default Payform;

/** <pay-form src preset payment lang theme poll-interval events-src mapping return-hosts> */
export interface PayFormElement extends HTMLElement {
  refresh(): void;
  addEventListener<K extends keyof PayformEventMap>(type: K, listener: (this: PayFormElement, ev: PayformEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap { 'pay-form': PayFormElement }
  interface HTMLElementEventMap extends PayformEventMap {}
  interface Window { Payform?: typeof Payform }
}
