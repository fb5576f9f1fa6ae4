import type { LoggerService } from '@nestjs/common';
import { type CircuitBreakerPolicy, CircuitState, circuitBreaker, ConsecutiveBreaker, handleWhen, isBrokenCircuitError } from 'cockatiel';
import { CircuitOpenError } from '../errors/circuit-open.error.js';
import type { CircuitBreakerOptions } from '../interfaces/resilience-options.interface.js';
import { circuitChannel, type CircuitReport, type CircuitStateName } from '../nats-transport.diagnostics.js';
import { MESSAGES } from '../nats-transport.messages.js';
import { isTargetFailure } from './call-failures.js';

/**
 * Circuits kept at most: service names are few, but one that comes from input (a gateway
 * routing by path) must not grow the map without end. Past it the oldest closed one goes.
 */
export const MAX_CIRCUITS = 1000;

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * One cockatiel circuit breaker per target service of a client. `failureThreshold` failures in
 * a row (`isTargetFailure`) open it; while open, calls fail at once with `CircuitOpenError`,
 * unsent. After `halfOpenAfterMs` the next call is the probe: its success (or any reply that is
 * not a target failure) closes the circuit, its failure opens it again. Calls made while the
 * probe runs fail at once too, rather than wait for it as cockatiel would (up to the probe's
 * timeout, past their own deadline). Each change is logged once and published on
 * `NATS_CIRCUIT_CHANNEL`.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, CircuitBreakerPolicy>();
  private readonly failures = handleWhen(isTargetFailure);

  constructor(
    private readonly options: Required<CircuitBreakerOptions>,
    private readonly caller: string,
    private readonly logger: LoggerService,
  ) {}

  /** Runs `attempt` through the circuit to `service`. */
  run<T>(service: string, subject: string, attempt: () => Promise<T>): Promise<T> {
    const circuit = this.circuitOf(service);
    if (circuit.state === CircuitState.HalfOpen) return Promise.reject(new CircuitOpenError(service, subject, 'half-open'));
    return circuit.execute(() => attempt()).catch((error: unknown) => {
      throw isBrokenCircuitError(error) ? new CircuitOpenError(service, subject, 'open') : error;
    });
  }

  /** The state of the circuit to each service called so far. */
  states(): Record<string, CircuitStateName> {
    return Object.fromEntries([...this.circuits].map(([service, circuit]) => [service, STATE_NAMES[circuit.state]]));
  }

  private circuitOf(service: string): CircuitBreakerPolicy {
    const known = this.circuits.get(service);
    if (known !== undefined) return known;
    if (this.circuits.size >= MAX_CIRCUITS) this.forgetOne();
    const { failureThreshold, halfOpenAfterMs } = this.options;
    const circuit = circuitBreaker(this.failures, { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(failureThreshold) });
    let previous = CircuitState.Closed;
    circuit.onStateChange((state) => {
      this.changed(service, circuit, state, previous);
      previous = state;
    });
    this.circuits.set(service, circuit);
    return circuit;
  }

  private changed(service: string, circuit: CircuitBreakerPolicy, state: CircuitState, previous: CircuitState): void {
    const failure = circuit.lastFailure;
    const reason = failure !== undefined && 'error' in failure ? failure.error : undefined;
    // A failed probe reopens a circuit already reported open: one line per outage, not per probe.
    if (state === CircuitState.Open && previous === CircuitState.Closed) {
      this.logger.warn(MESSAGES.circuitOpened(service, this.options.failureThreshold, reason ? `${reason.name}: ${reason.message}` : 'unknown'));
    } else if (state === CircuitState.Closed) this.logger.log(MESSAGES.circuitClosed(service));
    if (!circuitChannel.hasSubscribers) return;
    const report: CircuitReport = {
      service: this.caller,
      target: service,
      state: STATE_NAMES[state],
      previous: STATE_NAMES[previous],
      ...(state === CircuitState.Open && reason && { errorName: reason.name }),
    };
    circuitChannel.publish(report);
  }

  private forgetOne(): void {
    for (const [service, circuit] of this.circuits) {
      if (circuit.state === CircuitState.Closed) {
        this.circuits.delete(service);
        return;
      }
    }
    this.circuits.delete(this.circuits.keys().next().value!);
  }
}
