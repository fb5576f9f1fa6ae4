/** What the payments service needs beyond the shop's common configuration. */
export interface PaymentsSettings {
  /** Charges above this many cents are declined. */
  limitCents: number;
}

export const PAYMENTS_SETTINGS = 'payments:settings';
