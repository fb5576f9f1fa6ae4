import { InvalidOptionsError } from '@cliffracer/common';
import type { DurableSpec, EventOptions } from '../interfaces/handler-metadata.interface.js';
import { MESSAGES } from '../nats-transport.messages.js';
import { isValidToken } from '../subjects.js';

export const DEFAULT_DURABLE_OPTIONS = {
  maxDeliver: 5,
  backoffMs: [1000, 5000, 30000],
  ackWaitMs: 30000,
} as const;

/** The durable part of `@Event` options, checked when the decorator runs; `undefined` for core events. */
export function normalizeDurableOptions(subject: string, options: EventOptions): DurableSpec | undefined {
  if (options.durable === undefined) return undefined;
  if (!isValidToken(options.durable)) throw new InvalidOptionsError('Event', MESSAGES.invalidDurable(options.durable));
  if (options.broadcast) throw new InvalidOptionsError('Event', MESSAGES.durableBroadcast(subject));
  const spec: DurableSpec = {
    name: options.durable,
    maxDeliver: options.maxDeliver ?? DEFAULT_DURABLE_OPTIONS.maxDeliver,
    backoffMs: [...(options.backoffMs ?? DEFAULT_DURABLE_OPTIONS.backoffMs)],
    ackWaitMs: options.ackWaitMs ?? DEFAULT_DURABLE_OPTIONS.ackWaitMs,
  };
  for (const [key, value] of [['maxDeliver', spec.maxDeliver], ['ackWaitMs', spec.ackWaitMs]] as const) {
    if (!isPositiveInteger(value)) throw new InvalidOptionsError('Event', MESSAGES.invalidDurableOption(key, value));
  }
  if (spec.backoffMs.length === 0 || !spec.backoffMs.every(isPositiveInteger)) {
    throw new InvalidOptionsError('Event', MESSAGES.invalidDurableOption('backoffMs', spec.backoffMs));
  }
  return spec;
}

/** The JetStream consumer of a service's durable handler: one per service and name, shared by its instances. */
export function durableConsumerName(service: string, spec: DurableSpec): string {
  return `${service}_${spec.name}`;
}

/** The wait before redelivery after the given (1-based) failed delivery. */
export function backoffAfter(spec: DurableSpec, deliveryCount: number): number {
  return spec.backoffMs[Math.min(deliveryCount, spec.backoffMs.length) - 1];
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
