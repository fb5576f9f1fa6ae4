/** Milliseconds to three decimals, as every entry writes durations. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
