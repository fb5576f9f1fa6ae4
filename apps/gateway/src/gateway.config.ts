import type { AuthModuleOptions } from '@cliffracer/auth';
import { InvalidOptionsError } from '@cliffracer/common';
import type { NatsTransportModuleOptions } from '@cliffracer/nats-transport';

/** Transport options of the gateway, from the environment. */
export function gatewayNatsOptions(env: NodeJS.ProcessEnv = process.env): NatsTransportModuleOptions {
  return { service: 'gateway', servers: env.NATS_URL ?? 'nats://127.0.0.1:4222', subjectPrefix: env.NATS_SUBJECT_PREFIX ?? '' };
}

/** Token settings: the secret only from `JWT_SECRET`, never a default. */
export function gatewayAuthOptions(env: NodeJS.ProcessEnv = process.env): AuthModuleOptions {
  if (!env.JWT_SECRET) throw new InvalidOptionsError('Gateway', 'JWT_SECRET must be set (at least 32 characters)');
  return { secret: env.JWT_SECRET, issuer: env.JWT_ISSUER ?? 'cliffracer-shop', audience: env.JWT_AUDIENCE ?? 'cliffracer-shop' };
}

/** The HTTP port; 0 picks a free one. */
export function gatewayPort(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.GATEWAY_PORT ?? 3000);
}
