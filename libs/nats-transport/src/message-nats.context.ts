import { NatsContext } from '@nestjs/microservices';
import type { MsgHdrs } from '@nats-io/transport-node';
import { inspect } from 'node:util';

/** What a handler's context is made from: a message's subject and (lazily decoded) headers. */
export interface ContextMessage {
  readonly subject: string;
  readonly headers?: MsgHdrs;
}

/**
 * Nest's `NatsContext` of a message, whose subject and headers are read from the message only
 * when a guard, decorator or handler asks for them: nats.js decodes each from the message's
 * bytes on its first read, and most handlers read neither (the server has checked the header
 * block can be decoded). Read them through `getSubject()`, `getHeaders()`, `getArgs()` or
 * `getArgByIndex()` (as Nest's own code does): the protected `args` holds them only once one
 * of those has run.
 */
export class MessageNatsContext extends NatsContext {
  // Private to the language, so a logged or serialized context shows none of the message: a
  // nats.js message refers to its connection, credentials included. Let go once read.
  #msg: ContextMessage | undefined;

  constructor(msg: ContextMessage) {
    super([undefined as unknown as string, undefined]);
    this.#msg = msg;
  }

  override getSubject(): string {
    const args = super.getArgs() as [string | undefined, MsgHdrs | undefined];
    if (args[0] === undefined && this.#msg !== undefined) args[0] = this.#msg.subject;
    return args[0]!;
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

  // Logged or serialized before anything read it, the context still shows its subject, as
  // Nest's own does; headers not yet read show as undefined.
  toJSON(): { args: [string, MsgHdrs | undefined] } {
    this.getSubject();
    return { args: super.getArgs() as [string, MsgHdrs | undefined] };
  }

  [inspect.custom](): this {
    this.getSubject();
    return this;
  }

  private withHeaders(): [string, MsgHdrs | undefined] {
    this.getSubject();
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
