import type { NatsTransportModuleOptions } from '@cliffracer/nats-transport';

/** Transport options of the inventory service, from the environment. */
export function inventoryNatsOptions(env: NodeJS.ProcessEnv = process.env): NatsTransportModuleOptions {
  return {
    service: 'inventory',
    servers: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    subjectPrefix: env.NATS_SUBJECT_PREFIX ?? '',
  };
}
