import { CliffracerError } from '@cliffracer/common';

/** Polls `check` until it is true (it may be async), or rejects after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 3000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new CliffracerError(`condition not met within ${timeoutMs}ms`, { code: 'WAIT_TIMEOUT' });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
