// Vue's typings of the raw element: `pay-form` is a global component with the element's attributes.
import type {} from 'payform/vue';
import type { GlobalComponents } from 'vue';

type PayFormComponent = GlobalComponents['pay-form'];
export const known: PayFormComponent | null = null;
