/** Message factories of the metrics lib: one sentence that names the thing. */
export const MESSAGES = {
  invalidService: (value: unknown) => `service must be a non-empty string, got ${JSON.stringify(value)}`,
  invalidPort: (value: unknown) => `port must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`,
  invalidHost: (value: unknown) => `host must be a non-empty address, got ${JSON.stringify(value)}`,
  listening: (url: string) => `metrics at ${url}`,
  collectFailed: (reason: string) => `metrics could not be collected: ${reason}`,
} as const;
