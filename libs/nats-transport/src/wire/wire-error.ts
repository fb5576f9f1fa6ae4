import { isCliffracerError, type Json } from '@cliffracer/common';
import { HttpException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import type { ErrorClass } from '../interfaces/error-class.interface.js';
import { MESSAGES } from '../nats-transport.messages.js';

/** How an error travels in a reply body. */
export interface WireError {
  name: string;
  message: string;
  code: string;
  data?: Json;
}

export const INTERNAL_ERROR_CODE = 'INTERNAL';

const HTTP_STATUS_CODES: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'RPC_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

const STATUS_OF_CODE: Record<string, number> = {
  VALIDATION_ERROR: 400,
  BAD_PAYLOAD: 400,
  SECURE_QUERY_REJECTED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RPC_TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  OVERLOADED: 503,
  CIRCUIT_OPEN: 503,
  DATABASE_UNAVAILABLE: 503,
  DATABASE_TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
};

/** The numeric status put in the error header of a reply (NATS services convention). */
export function statusOfWireError(error: WireError): number {
  return STATUS_OF_CODE[error.code] ?? 500;
}

/** True when `value` has the wire shape: a reply body read by a caller. */
export function isWireError(value: unknown): value is WireError {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.message === 'string' && typeof v.code === 'string';
}

// Wire forms this module made: only these pass through `toWireError` again as they are, so a
// plain object that merely looks like one (a pg or Node system error) never reaches a caller.
const CONVERTED = new WeakSet<WireError>();

/** True when `value` is a wire form `toWireError` made (an exception filter's output, say). */
export function isConvertedWireError(value: unknown): value is WireError {
  return value !== null && typeof value === 'object' && CONVERTED.has(value as WireError);
}

/**
 * Turns whatever a handler or the Nest pipeline threw into its wire form. Only errors meant for
 * callers keep their message: Cliffracer errors (name, message, code, data), Nest's
 * `HttpException` (guards, ValidationPipe) and `RpcException`, and the `registered` classes.
 * Everything else (Node system errors, database errors, plain objects, strings, null) is an
 * internal error whose details stay on the server.
 */
export function toWireError(error: unknown, registered: readonly ErrorClass[] = []): WireError {
  if (isConvertedWireError(error)) return error;
  return converted(callerSafeForm(error, registered) ?? internalWireError());
}

/**
 * The wire form of what the Nest pipeline hands the transport. Exception filters have already
 * run there: the global `RpcErrorFilter` converts what handlers throw, and Nest's own RPC filter
 * reduces unknown errors to a shape without a code, so a plain `{ name, message, code }` object
 * reaching the transport was shaped on purpose by a service's own exception filter (Nest's
 * documented `throwError(() => exception.getError())`), and is sent as it is.
 */
export function toWireErrorAfterFilters(error: unknown, registered: readonly ErrorClass[] = []): WireError {
  if (!isConvertedWireError(error) && !(error instanceof Error) && isWireError(error)) {
    return converted({ name: error.name, message: error.message, code: error.code, data: error.data });
  }
  return toWireError(error, registered);
}

function callerSafeForm(error: unknown, registered: readonly ErrorClass[]): WireError | undefined {
  if (isCliffracerError(error)) return { name: error.name, message: error.message, code: error.code, data: error.data };
  if (error instanceof HttpException) return fromHttpException(error);
  if (error instanceof RpcException) return fromRpcError(error.getError());
  if (error instanceof Error && registered.some((cls) => error instanceof cls)) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, code: typeof code === 'string' ? code : 'REMOTE_ERROR' };
  }
  return undefined;
}

function converted(wire: WireError): WireError {
  CONVERTED.add(wire);
  return wire;
}

/** The wire form of an error whose details stay on the server. */
export function internalWireError(): WireError {
  return { name: 'InternalError', message: MESSAGES.internal(), code: INTERNAL_ERROR_CODE };
}

function fromHttpException(error: HttpException): WireError {
  const status = error.getStatus();
  const response = error.getResponse();
  const detail = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const messages = Array.isArray(detail.message) ? detail.message.map(String) : undefined;
  if (status === 400 && messages !== undefined) {
    return {
      name: 'ValidationError',
      message: MESSAGES.validationFailed([]),
      code: 'VALIDATION_ERROR',
      data: { failures: [{ field: 'payload', messages }] },
    };
  }
  return {
    name: error.name,
    message: typeof detail.message === 'string' ? detail.message : error.message,
    code: HTTP_STATUS_CODES[status] ?? (status >= 500 ? INTERNAL_ERROR_CODE : `HTTP_${status}`),
  };
}

// What an `RpcException` carries: a string, or an object with a name, message and code.
function fromRpcError(payload: unknown): WireError {
  if (typeof payload === 'string') return { name: 'RpcException', message: payload, code: 'RPC_ERROR' };
  if (payload === null || typeof payload !== 'object') return internalWireError();
  const p = payload as Record<string, unknown>;
  return {
    name: typeof p.name === 'string' ? p.name : 'RpcException',
    message: typeof p.message === 'string' ? p.message : MESSAGES.internal(),
    code: typeof p.code === 'string' ? p.code : 'RPC_ERROR',
    data: (p.data as Json | undefined) ?? undefined,
  };
}
