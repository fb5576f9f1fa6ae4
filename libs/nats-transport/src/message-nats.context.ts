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
 */
export class MessageNatsContext extends NatsContext {
  private headersRead = false;

  constructor(private readonly msg: ContextMessage) {
    super([msg.subject, undefined]);
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
    if (!this.headersRead) {
      this.headersRead = true;
      args[1] = this.msg.headers;
    }
    return args;
  }
}
