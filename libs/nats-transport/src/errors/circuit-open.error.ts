import { CliffracerError } from '@cliffracer/common';
import { MESSAGES } from '../nats-transport.messages.js';

/**
 * The circuit breaker to the target service is open (or a probe call is under way): the call
 * failed at once and was not sent. It closes after a probe succeeds.
 */
export class CircuitOpenError extends CliffracerError {
  override readonly name = 'CircuitOpenError';

  constructor(
    readonly service: string,
    readonly subject: string,
    state: 'open' | 'half-open',
  ) {
    super(MESSAGES.circuitOpen(service, state, subject), { code: 'CIRCUIT_OPEN', data: { service, state } });
  }
}
