import { TransportError } from './errors/transport.error.js';
import type { NatsServer } from './nats.server.js';

/**
 * Gives providers the service's `NatsServer`, which Nest creates outside dependency injection
 * (it is the microservice's strategy). `createNatsMicroservice` attaches it; tools such as
 * the backdoor read its handlers, subscriptions and in-flight work through it.
 */
export class NatsServerRef {
  private server?: NatsServer;

  attach(server: NatsServer): void {
    this.server = server;
  }

  get attached(): boolean {
    return this.server !== undefined;
  }

  get(): NatsServer {
    if (this.server === undefined) throw new TransportError('no NatsServer is attached: start the service with createNatsMicroservice()');
    return this.server;
  }
}
