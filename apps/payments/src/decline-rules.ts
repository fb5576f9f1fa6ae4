/** Test tokens the simulated card network refuses, and why (as a real provider's test cards do). */
const DECLINING_TOKENS: Record<string, string> = {
  tok_declined: 'card declined',
  tok_insufficient_funds: 'insufficient funds',
  tok_expired: 'card expired',
};

/** Why a charge is refused, or `undefined` when it goes through. */
export function declineReason(paymentToken: string, amountCents: number, limitCents: number): string | undefined {
  const refused = DECLINING_TOKENS[paymentToken];
  if (refused !== undefined) return refused;
  if (amountCents > limitCents) return `amount over the limit of ${limitCents} cents`;
  return undefined;
}
