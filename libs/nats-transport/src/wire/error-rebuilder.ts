import { CircuitOpenError } from '../errors/circuit-open.error.js';
import { MalformedPayloadError } from '../errors/malformed-payload.error.js';
import { NoRespondersError } from '../errors/no-responders.error.js';
import { OverloadedError } from '../errors/overloaded.error.js';
import { PayloadTooLargeError } from '../errors/payload-too-large.error.js';
import { RemoteError } from '../errors/remote.error.js';
import { RpcTimeoutError } from '../errors/rpc-timeout.error.js';
import { ValidationError } from '../errors/validation.error.js';
import type { ErrorClass } from '../interfaces/error-class.interface.js';
import type { WireError } from './wire-error.js';

const BUILT_IN: ErrorClass[] = [ValidationError, RpcTimeoutError, NoRespondersError, MalformedPayloadError, PayloadTooLargeError, OverloadedError, CircuitOpenError];

// Errors that came in a reply: a retry policy must tell a `NoRespondersError` of this call from
// one a remote handler passed on from its own call.
const REBUILT = new WeakSet<Error>();

/** True for an error rebuilt from a reply (the remote handler's), not one raised on this side. */
export function isRemoteReply(error: unknown): boolean {
  return error instanceof Error && REBUILT.has(error);
}

/**
 * Rebuilds errors that arrive in replies: a class this side knows (built-in or registered
 * through the `errors` option) by name, anything else as `RemoteError`.
 */
export class ErrorRebuilder {
  private readonly classes = new Map<string, ErrorClass>();

  constructor(extra: readonly ErrorClass[] = []) {
    for (const cls of [...BUILT_IN, ...extra]) this.classes.set(nameOf(cls), cls);
  }

  rebuild(wire: WireError, subject: string): Error {
    const error = this.build(wire, subject);
    REBUILT.add(error);
    return error;
  }

  private build(wire: WireError, subject: string): Error {
    const cls = this.classes.get(wire.name);
    if (cls === undefined) return new RemoteError(wire.name, wire.message, wire.code, subject, wire.data);
    // The class's constructor takes its own arguments; fill the known fields instead of calling it.
    const error = Object.create(cls.prototype) as Error & Record<string, unknown>;
    Object.defineProperty(error, 'message', { value: wire.message, writable: true, configurable: true });
    Object.assign(error, { name: wire.name, code: wire.code, data: wire.data, subject });
    error.stack = `${wire.name}: ${wire.message}\n    at remote handler (${subject})`;
    return error;
  }
}

// Error classes set `name` on instances; a prototype probe reads it without calling the constructor.
function nameOf(cls: ErrorClass): string {
  const probe = Object.create(cls.prototype) as { constructor: { name: string } };
  return probe.constructor.name;
}
