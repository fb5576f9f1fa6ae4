import { CliffracerError } from '@cliffracer/common';

/** `host:port` or `port` → where to connect; the host defaults to 127.0.0.1. */
export function parseBackdoorTarget(value: string | undefined): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(value ?? '');
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    throw new CliffracerError(`expected host:port or port, got ${JSON.stringify(value ?? '')}`, { code: 'BAD_ARGUMENT' });
  }
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}
