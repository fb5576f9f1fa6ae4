import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpService, HttpFrontDoorModule } from '@cliffracer/http';
import { Event, NatsTransportModule } from '@cliffracer/nats-transport';
import { ensureNats, type NatsEndpoint, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, type DynamicModule, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect, type NatsConnection } from '@nats-io/transport-node';

@Controller()
class AuditController {
  seen = 0;

  @Event('audit.>')
  record(@Payload() _body: unknown) {
    this.seen++;
  }
}

@Module({})
class AuditModule {
  static forRoot(nats: { servers: string; subjectPrefix: string }): DynamicModule {
    return {
      module: AuditModule,
      imports: [NatsTransportModule.forRoot({ service: 'audit', ...nats }), HttpFrontDoorModule.forRoot({ service: 'audit' })],
      controllers: [AuditController],
    };
  }
}

const SUBJECTS = 2000;

// Whoever may publish chooses the subject under a wildcard: per-subject figures would grow with every new one.
describe('Events on a wildcard subject', () => {
  let nats: NatsEndpoint;
  let app: NestFastifyApplication;
  let publisher: NatsConnection;
  let prefix: string;

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    const transport = { servers: nats.url, subjectPrefix: prefix };
    app = await createHttpService(AuditModule.forRoot(transport), { service: 'audit', ...transport }, { logger: false });
    await app.startAllMicroservices();
    await app.listen({ port: 0, host: '127.0.0.1' });
    publisher = await connect({ servers: nats.url });
    for (let i = 0; i < SUBJECTS; i++) publisher.publish(`${prefix}.audit.random.${i}`, '{}');
    await publisher.flush();
    await waitUntil(() => app.get(AuditController).seen === SUBJECTS, 10_000);
  });

  afterAll(async () => {
    await publisher?.close();
    await app?.close();
    await nats?.release();
  });

  it('counts them under the handler pattern in /metrics, one series, not one per subject', async () => {
    const text = await (await fetch(`${await app.getUrl()}/metrics`)).text();
    const series = text.split('\n').filter((line) => line.startsWith('cliffracer_handled_total{'));
    expect(series).toEqual([`cliffracer_handled_total{kind="event",subject="audit.>",outcome="success",service="audit"} ${SUBJECTS}`]);
  });
});
