import { CliffracerError } from '@cliffracer/common';
import type { LoggerService } from '@nestjs/common';
import { MessageNatsContext } from './message-nats.context.js';
import { headers as natsHeaders, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { RpcTimeoutError } from './errors/rpc-timeout.error.js';
import { invokeNow, withDeadline } from './handler-invoker.js';
import { isThenable, type MaybePromise } from './maybe-promise.js';
import type { NormalizedNatsTransportOptions } from './interfaces/nats-transport-options.interface.js';
import type { NatsRoute } from './nats-routes.js';
import { ERROR_MESSAGE_HEADER, ERROR_STATUS_HEADER } from './nats-transport.constants.js';
import type { RefusalLog } from './refusal.log.js';
import { logInternalFailure } from './wire/internal-failure.log.js';
import { decodePayload, encodePayload, utf8 } from './wire/json.codec.js';
import { isMaxPayloadError, payloadTooLarge } from './wire/max-payload.js';
import { REFUSAL_CODES } from './wire/refusal-codes.js';
import { INTERNAL_ERROR_CODE, isConvertedWireError, statusOfWireError, toWireError, toWireErrorAfterFilters, type WireError } from './wire/wire-error.js';

/**
 * Answers RPC requests: decodes the body within the route's limits, runs the handler through
 * the Nest pipeline (within its `timeoutMs`), and replies with the result as JSON or an error
 * reply (`{ name, message, code, data }` with the NATS service error headers). Every failure is
 * logged once: internal ones with their stack, refusals once per burst. A reply that cannot be
 * sent never throws; one over `max_payload` becomes a small `PAYLOAD_TOO_LARGE` reply.
 */
export class RequestReplies {
  constructor(
    private readonly options: NormalizedNatsTransportOptions,
    private readonly logger: LoggerService,
    private readonly refusals: RefusalLog,
    private readonly connection: () => NatsConnection | undefined,
  ) {}

  // No promise for a handler that answers at once, one `then` for one that does not: every
  // promise costs async-hook calls while the correlation context is on.
  /**
   * Answers `msg`; gives the failure it answered with, if any, at once when the handler
   * finished at once. `timeoutMs` is what is left of the handler's timeout after the request
   * waited for a slot.
   */
  answer(route: NatsRoute, msg: Msg, timeoutMs = route.timeoutMs): MaybePromise<WireError | undefined> {
    let answered: MaybePromise<unknown>;
    try {
      answered = invokeNow(route.invoke, decodePayload(msg.data, msg, route.limits), new MessageNatsContext(msg));
    } catch (error) {
      return this.answerFailure(msg, error);
    }
    if (!isThenable(answered)) return this.answerResult(msg, answered);
    let work: Promise<unknown> = answered;
    if (timeoutMs !== undefined) work = withDeadline(work, timeoutMs, () => new RpcTimeoutError(msg.subject, timeoutMs, 'handler'));
    return work.then(
      (result) => this.answerResult(msg, result),
      (error: unknown) => this.answerFailure(msg, error),
    );
  }

  /** Sends `wire` as the error reply to `msg`. */
  replyError(msg: Msg, wire: WireError): void {
    if (!msg.reply) return;
    try {
      const h = natsHeaders();
      h.set(ERROR_STATUS_HEADER, String(statusOfWireError(wire)));
      h.set(ERROR_MESSAGE_HEADER, wire.message.replace(/[\r\n]+/g, ' '));
      msg.respond(utf8(JSON.stringify(wire)), { headers: h });
    } catch (error) {
      this.unsent(msg, error);
    }
  }

  private answerResult(msg: Msg, result: unknown): WireError | undefined {
    let body: Uint8Array;
    try {
      body = encodePayload(result);
    } catch (error) {
      return this.answerFailure(msg, error);
    }
    if (!msg.reply) return undefined;
    // Sent here rather than through a callback: a closure per reply is paid on every request.
    try {
      msg.respond(body);
      return undefined;
    } catch (error) {
      if (!this.unsent(msg, error)) return undefined;
    }
    // The caller learns at once why no result comes, instead of at its timeout. The log says
    // it was this service's reply, not the caller's message, once per burst.
    const error = payloadTooLarge(this.connection(), msg.subject, body);
    this.refusals.warn(`REPLY_TOO_LARGE ${msg.subject}`, `could not send the reply on ${msg.subject}: ${error.message}`);
    const wire = toWireError(error);
    this.replyError(msg, wire);
    return wire;
  }

  private answerFailure(msg: Msg, error: unknown): WireError {
    const wire = this.describeFailure(error, msg.subject);
    this.replyError(msg, wire);
    return wire;
  }

  /**
   * What a reply that could not be sent leaves: one over the server's `max_payload` gives true,
   * for the caller to answer why; any other (connection closed mid-request) is logged, never thrown.
   */
  private unsent(msg: Msg, error: unknown): boolean {
    if (isMaxPayloadError(error)) return true;
    this.logger.error(`could not reply on ${msg.subject}: ${(error as Error).message}`);
    return false;
  }

  /**
   * The wire form of a failed request, logged once here when nothing upstream logged it:
   * exception filters hand over wire forms (already logged), raw errors come from this class.
   * Refused input is logged once per burst.
   */
  private describeFailure(error: unknown, subject: string): WireError {
    const wire = toWireErrorAfterFilters(error, this.options.errors);
    if (isConvertedWireError(error)) return wire;
    if (wire.code === INTERNAL_ERROR_CODE) logInternalFailure(this.logger, 'handler', subject, error);
    else if (error instanceof CliffracerError && REFUSAL_CODES.has(wire.code)) {
      this.refusals.warn(`${wire.code} ${subject}`, `refused message on ${subject}: ${wire.message}`);
    }
    return wire;
  }
}
