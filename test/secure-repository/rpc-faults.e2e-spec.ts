import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ERROR_STATUS_HEADER, Rpc } from '@cliffracer/nats-transport';
import { InjectSecureRepository, type SecureRepository, SecureRepositoryModule } from '@cliffracer/secure-repository';
import { createTestApp, ensureNats, type NatsEndpoint, PostgresClusterProcess, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Student } from './student.entity.js';

@Controller()
class StudentsController {
  constructor(@InjectSecureRepository(Student) private readonly students: SecureRepository<Student>) {}

  @Rpc()
  get(@Payload() query: { id: unknown }) {
    return this.students.findById(query.id);
  }
}

describe('SecureRepository faults as an RPC caller sees them', () => {
  let nats: NatsEndpoint;
  let server: PostgresClusterProcess;
  let service: TestApp;
  let raw: NatsConnection;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    nats = await ensureNats();
    server = await PostgresClusterProcess.start();
    service = await createTestApp({
      nats: { service: 'students', servers: nats.url, subjectPrefix: prefix },
      imports: [SecureRepositoryModule.forRoot({ url: server.url, schema: 'rpc', synchronize: true }), SecureRepositoryModule.forFeature([Student])],
      controllers: [StudentsController],
      logger: false,
    });
    raw = await connect({ servers: nats.url });
  }, 60_000);

  afterAll(async () => {
    await raw?.close();
    await service?.close();
    await server?.stop();
    await nats?.release();
  }, 30_000);

  async function request(payload: unknown) {
    const reply = await raw.request(`${prefix}.students.get`, JSON.stringify(payload), { timeout: 5000 });
    return { status: reply.headers?.get(ERROR_STATUS_HEADER), body: JSON.parse(new TextDecoder().decode(reply.data)) as Record<string, unknown> };
  }

  it('answers a value that does not fit its column with the refusal, not a database error quoting it', async () => {
    const { body } = await request({ id: '1 OR 1=1' });
    expect(body).toMatchObject({ name: 'SecureQueryError', code: 'SECURE_QUERY_REJECTED' });
    expect(body.message).toBe('refused query on Student: id must be a whole number from -2147483648 to 2147483647');
  });

  it('answers 503 DATABASE_UNAVAILABLE at once while the database is stopped', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await server.kill();
    try {
      const started = performance.now();
      const { status, body } = await request({ id: 1 });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(status).toBe('503');
      expect(body).toMatchObject({ name: 'DatabaseUnavailableError', code: 'DATABASE_UNAVAILABLE', message: 'database unavailable for Student; try again later' });
    } finally {
      errors.mockRestore();
      await server.restart();
    }
  }, 30_000);
});
