import { CircuitOpenError } from './circuit-open.error.js';
import { NoRespondersError } from './no-responders.error.js';
import { RemoteError } from './remote.error.js';
import { RpcTimeoutError } from './rpc-timeout.error.js';
import { ValidationError } from './validation.error.js';

function hasName(value: unknown, name: string): boolean {
  return value instanceof Error && value.name === name;
}

/** True for an RPC that got no reply in time. */
export function isRpcTimeoutError(value: unknown): value is RpcTimeoutError {
  return value instanceof RpcTimeoutError || hasName(value, 'RpcTimeoutError');
}

/** True when nothing was listening on the subject. */
export function isNoRespondersError(value: unknown): value is NoRespondersError {
  return value instanceof NoRespondersError || hasName(value, 'NoRespondersError');
}

/** True when the payload failed validation. */
export function isValidationError(value: unknown): value is ValidationError {
  return value instanceof ValidationError || hasName(value, 'ValidationError');
}

/** True for a remote error the caller had no class for. */
export function isRemoteError(value: unknown): value is RemoteError {
  return value instanceof RemoteError || hasName(value, 'RemoteError');
}

/** True when a circuit breaker refused the call without sending it. */
export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return value instanceof CircuitOpenError || hasName(value, 'CircuitOpenError');
}
