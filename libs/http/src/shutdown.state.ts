import { NatsServerRef } from '@cliffracer/nats-transport';
import { type BeforeApplicationShutdown, Inject, Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';

/**
 * Whether the service is shutting down, for readiness; and the order of a service's shutdown
 * with both doors: readiness off first, then NATS drained while HTTP still answers, then HTTP.
 *
 * Nest closes the HTTP server before its microservices, so a `NatsServer` left to Nest would
 * drain (in-flight handlers finishing, up to `shutdownGraceMs`) with nobody there to answer
 * the readiness probe. Closing it here, in `beforeApplicationShutdown`, drains it while HTTP
 * still answers 503; Nest's own close of it later finds nothing left to do.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy, BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(@Optional() @Inject(NatsServerRef) private readonly serverRef?: NatsServerRef) {}

  get draining(): boolean {
    return this.shuttingDown;
  }

  /** Turns readiness off for good; `setupHttpFrontDoor` calls it as `app.close()` begins. */
  begin(): void {
    this.shuttingDown = true;
  }

  // Without `setupHttpFrontDoor`, the door's first hook. A global module's `onModuleDestroy`
  // runs after every other module's, hence the earlier call from the HTTP adapter.
  onModuleDestroy(): void {
    this.begin();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.begin();
    if (this.serverRef?.attached) await this.serverRef.get().close();
  }
}
