// Type declarations for Vue templates: `<pay-form>` as a known element with its attributes
// (import type {} from 'payform/vue' once, e.g. in env.d.ts). Vue binds the events with their
// colon through the object syntax: <pay-form v-on="{ 'payform:paid': onPaid }" src="…" />.
// Tell Vue's compiler it is a custom element: compilerOptions.isCustomElement = (tag) => tag === 'pay-form'.
import type { DefineComponent } from 'vue';
import type { PayFormAttribute } from './payform.js';

declare module 'vue' {
  interface GlobalComponents {
    'pay-form': DefineComponent<{ [A in PayFormAttribute]?: string | number | boolean }>;
  }
}

export {};
