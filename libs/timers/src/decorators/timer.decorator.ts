import { InvalidOptionsError } from '@cliffracer/common';
import { SetMetadata } from '@nestjs/common';
import type { TimerMetadata, TimerOptions } from '../interfaces/timer-metadata.interface.js';
import { TIMER_METADATA } from '../timers.constants.js';
import { MESSAGES } from '../timers.messages.js';

/**
 * Runs a provider or controller method every `intervalMs`. Runs never overlap: the next
 * one starts one interval after the previous one started, or at once when it overran.
 * Each run gets its own correlation ID, carried by the calls and events it makes; a run
 * that throws is logged and the timer keeps going.
 *
 * @example
 * @Timer(60_000, { eager: true })
 * async expireUnpaidOrders() { ... }
 *
 * @Timer('heartbeat', 5000)
 * beat() { ... }
 */
export function Timer(intervalMs: number, options?: TimerOptions): MethodDecorator;
export function Timer(name: string, intervalMs: number, options?: Omit<TimerOptions, 'name'>): MethodDecorator;
export function Timer(
  first: number | string,
  second?: number | TimerOptions,
  third?: Omit<TimerOptions, 'name'>,
): MethodDecorator {
  const named = typeof first === 'string';
  const intervalMs = named ? second : first;
  const options: TimerOptions = (named ? { ...third, name: first } : second) as TimerOptions ?? {};
  if (typeof intervalMs !== 'number' || !Number.isInteger(intervalMs) || intervalMs <= 0) {
    throw new InvalidOptionsError('Timer', MESSAGES.invalidInterval(intervalMs));
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.trim() === '')) {
    throw new InvalidOptionsError('Timer', MESSAGES.invalidName(options.name));
  }
  return (target, key, descriptor) => {
    const metadata: TimerMetadata = {
      name: options.name ?? `${target.constructor.name}.${String(key)}`,
      intervalMs,
      eager: options.eager ?? false,
    };
    return SetMetadata(TIMER_METADATA, metadata)(target, key, descriptor);
  };
}
