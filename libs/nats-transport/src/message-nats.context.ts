import { NatsContext } from '@nestjs/microservices';
import type { MsgHdrs } from '@nats-io/transport-node';

/** What a handler's context is made from: a message's subject and (lazily decoded) headers. */
export interface ContextMessage {
  readonly subject: string;
  readonly headers?: MsgHdrs;
}

/**
 * Nest's `NatsContext` of a message, whose headers are read from the message only when a
 * guard, decorator or handler asks for them. nats.js decodes a header block on its first
 * read; most handlers never read it, and the server has checked the block can be decoded.
 * Read them through `getHeaders()`, `getArgs()` or `getArgByIndex(1)` (as Nest's own code does):
 * the protected `args` holds them only once one of those has run.
 */
export class MessageNatsContext extends NatsContext {
  // Private to the language, so a logged or serialized context shows none of the message: a
  // nats.js message refers to its connection, credentials included. Let go once read.
  #msg: ContextMessage | undefined;

  constructor(msg: ContextMessage) {
    super([msg.subject, undefined]);
    this.#msg = msg;
  }

  override getHeaders(): MsgHdrs | undefined {
    return this.withHeaders()[1];
  }

  override getArgs(): [string, MsgHdrs | undefined] {
    return this.withHeaders();
  }

  override getArgByIndex(index: number): unknown {
    return this.withHeaders()[index];
  }

  private withHeaders(): [string, MsgHdrs | undefined] {
    const args = super.getArgs() as [string, MsgHdrs | undefined];
    const msg = this.#msg;
    if (msg !== undefined) {
      // A read that throws throws again on the next, as nats.js's getter does.
      args[1] = msg.headers;
      this.#msg = undefined;
    }
    return args;
  }
}
