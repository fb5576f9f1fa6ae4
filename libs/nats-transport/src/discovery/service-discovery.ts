import type { LoggerService } from '@nestjs/common';
import { type NatsConnection, nuid, type Subscription } from '@nats-io/transport-node';
import type { NormalizedNatsTransportOptions } from '../interfaces/nats-transport-options.interface.js';
import type { NatsRoute } from '../nats-routes.js';
import type { RefusalLog } from '../refusal.log.js';
import { infoDocument, pingDocument, statsDocument } from './micro-documents.js';
import { controlSubjects, MicroVerb } from './micro-subjects.js';
import { describeEndpoints, serviceMetadata } from './service-description.js';
import { resolveServiceVersion } from './service-version.js';

/**
 * Answers the NATS service protocol (ADR-32) for one service instance, so `nats micro ls`
 * and `@nats-io/services`' `ServiceClient` find it: `$SRV.PING`, `$SRV.INFO` and `$SRV.STATS`,
 * each for all services, by name and by name and instance ID. The transport keeps its own
 * subscriptions (queue groups, limits, the Nest pipeline); this only describes them. PING and
 * INFO replies are built once at start; STATS reads the routes' counters when asked.
 */
export class ServiceDiscovery {
  /** This instance's ID in every discovery reply, new for each server. */
  readonly id = nuid.next();
  private subscriptions: Subscription[] = [];
  private answering = false;

  constructor(
    private readonly options: NormalizedNatsTransportOptions,
    private readonly logger: LoggerService,
    private readonly refusals: RefusalLog,
  ) {}

  /**
   * Starts answering for `routes`, which must be listening already. A NATS user without
   * permission for `$SRV` subjects leaves the service running without discovery, said once.
   */
  async start(nc: NatsConnection, routes: NatsRoute[]): Promise<void> {
    const { service, description } = this.options;
    const identity = { name: service, id: this.id, version: this.version(), metadata: serviceMetadata(routes, this.options) };
    const endpoints = describeEndpoints(routes, this.options);
    const started = new Date().toISOString();
    const ping = pingDocument(identity);
    const info = infoDocument(identity, description, endpoints.map((endpoint) => endpoint.info));
    const stats = () => statsDocument(identity, started, endpoints.map(({ info, stats }) => ({ info, figures: stats.figures() })));
    const answers = [
      ...controlSubjects(MicroVerb.PING, service, this.id).map((subject) => [subject, () => ping] as const),
      ...controlSubjects(MicroVerb.INFO, service, this.id).map((subject) => [subject, () => info] as const),
      ...controlSubjects(MicroVerb.STATS, service, this.id).map((subject) => [subject, stats] as const),
    ];
    this.answering = true;
    // One subscription first: the server refuses it before it answers the flush, so a user
    // without `$SRV` permissions costs one denied subscription (and log line), not nine.
    const [[subject, reply], ...rest] = answers;
    this.subscriptions.push(this.answer(nc, subject, reply));
    await nc.flush();
    for (const [subject, reply] of rest) if (this.answering) this.subscriptions.push(this.answer(nc, subject, reply));
  }

  /** Stops answering: the instance drops out of discovery while it drains. */
  stop(): void {
    this.answering = false;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
  }

  private version(): string {
    const { version, source, refused } = resolveServiceVersion(this.options.version);
    if (refused !== undefined) this.logger.warn(`discovery reports version ${version}: ${source} ${refused} (set the version option)`);
    return version;
  }

  // Subscriptions without a queue group: every instance answers, as the protocol wants.
  private answer(nc: NatsConnection, subject: string, reply: () => string): Subscription {
    return nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error) {
          this.refused(error);
          return;
        }
        // A discovery request carries nothing to read: its body and headers are never looked at.
        if (!msg.reply) return;
        try {
          msg.respond(reply());
        } catch (thrown) {
          this.refusals.warn(`DISCOVERY ${subject}`, `could not answer ${subject}: ${(thrown as Error)?.message}`);
        }
      },
    });
  }

  private refused(error: Error): void {
    if (!this.answering) return;
    this.stop();
    this.logger.warn(`service discovery is off: ${error.message}; allow its NATS user to subscribe to $SRV.> or set discovery: false`);
  }
}
