import { InvalidOptionsError } from '@cliffracer/common';
import type { AuthModuleOptions, NormalizedAuthOptions } from './interfaces/auth-options.interface.js';

export const DEFAULT_AUTH_OPTIONS = {
  algorithm: 'HS256',
  expiresInSec: 900,
  maxTokenLifetimeSec: 86_400,
  clockToleranceSec: 5,
  maxTokenBytes: 8192,
  forwardToken: true,
  globalGuard: true,
  revealFailureReasons: false,
} as const;

const MODULE = 'Auth';
const ALGORITHMS = new Set(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512']);

/** Applies defaults and checks the options; invalid ones throw `InvalidOptionsError` at boot. */
export function normalizeAuthOptions(options: AuthModuleOptions): NormalizedAuthOptions {
  const defined = Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) as AuthModuleOptions;
  const merged: NormalizedAuthOptions = { ...DEFAULT_AUTH_OPTIONS, ...defined };
  if (!ALGORITHMS.has(merged.algorithm)) throw new InvalidOptionsError(MODULE, `algorithm must be one of ${[...ALGORITHMS].join(', ')}`);
  if (merged.algorithm.startsWith('HS')) {
    if (typeof merged.secret !== 'string' || merged.secret.length < 32) throw new InvalidOptionsError(MODULE, `${merged.algorithm} needs a secret of at least 32 characters`);
    if (merged.publicKey !== undefined) throw new InvalidOptionsError(MODULE, 'an HS algorithm takes a secret, not a public key');
  } else if (typeof merged.publicKey !== 'string' || !merged.publicKey.includes('PUBLIC KEY')) {
    throw new InvalidOptionsError(MODULE, `${merged.algorithm} needs a PEM publicKey`);
  }
  if (!merged.issuer || !merged.audience) throw new InvalidOptionsError(MODULE, 'issuer and audience are required');
  for (const key of ['expiresInSec', 'maxTokenLifetimeSec', 'maxTokenBytes'] as const) {
    if (!Number.isInteger(merged[key]) || merged[key] < 1) throw new InvalidOptionsError(MODULE, `${key} must be a positive whole number`);
  }
  // The service's own tokens must pass its own verifier.
  if (merged.expiresInSec > merged.maxTokenLifetimeSec) {
    throw new InvalidOptionsError(MODULE, `expiresInSec (${merged.expiresInSec}) exceeds maxTokenLifetimeSec (${merged.maxTokenLifetimeSec})`);
  }
  // A string from the environment ("false") would otherwise count as true.
  for (const key of ['forwardToken', 'globalGuard', 'revealFailureReasons'] as const) {
    if (typeof merged[key] !== 'boolean') throw new InvalidOptionsError(MODULE, `${key} must be true or false`);
  }
  if (!(merged.clockToleranceSec >= 0)) throw new InvalidOptionsError(MODULE, 'clockToleranceSec must not be negative');
  return merged;
}
