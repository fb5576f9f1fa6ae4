/** What a health endpoint answered: its HTTP status and body, or why nothing came back. */
export interface HealthAnswer {
  ok: boolean;
  status?: number;
  body?: Record<string, unknown>;
  error?: string;
}

/** One GET of a health URL, given at most `timeoutMs`. */
export async function checkHealth(url: string, timeoutMs = 1000): Promise<HealthAnswer> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    return { ok: response.ok, status: response.status, ...(body !== undefined && { body }) };
  } catch (error) {
    return { ok: false, error: (error as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable' };
  }
}

/**
 * Polls `url` until it answers 2xx, at most `attempts` times `intervalMs` apart; stops early
 * when `gaveUp()` says the process is gone.
 */
export async function waitForHealth(url: string, attempts: number, intervalMs: number, gaveUp: () => boolean = () => false): Promise<HealthAnswer> {
  let last: HealthAnswer = { ok: false, error: 'not checked' };
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    last = await checkHealth(url);
    if (last.ok || gaveUp()) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return last;
}

/**
 * The HEALTH cell of a readiness answer: `ok (gateway-1)` (nginx answers with whichever
 * instance it chose), `HTTP 503: nats, database` naming the checks that are down, or why
 * nothing answered.
 */
export function describeHealth(answer: HealthAnswer): string {
  const { body } = answer;
  if (answer.ok) return typeof body?.instance === 'string' ? `ok (${body.instance})` : 'ok';
  if (answer.status === undefined) return answer.error ?? 'unreachable';
  const error = body?.error;
  const down = error !== null && typeof error === 'object' ? Object.keys(error) : [];
  return down.length === 0 ? `HTTP ${answer.status}` : `HTTP ${answer.status}: ${down.join(', ')}`;
}
