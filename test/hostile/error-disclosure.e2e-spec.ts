import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CliffracerError } from '@cliffracer/common';
import { type RemoteError, Rpc } from '@cliffracer/nats-transport';
import { CapturingLogger, createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller, NotFoundException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';

class OrderNotFoundError extends CliffracerError {
  override readonly name = 'OrderNotFoundError';
  constructor() {
    super('order not found: 42', { code: 'ORDER_NOT_FOUND' });
  }
}

class CardDeclined extends Error {
  override readonly name = 'CardDeclined';
  readonly code = 'CARD_DECLINED';
}

const SECRET_PATH = '/srv/secret-folder-that-does-not-exist';

@Controller()
class LeakyController {
  @Rpc() missing_file() {
    return readdir(SECRET_PATH);
  }
  @Rpc() database_down() {
    return new Promise((_resolve, reject) => {
      const socket = connect(1, '127.0.0.1');
      socket.on('error', reject);
    });
  }
  @Rpc() plain_object() {
    return Promise.reject({ name: 'PgError', message: 'relation "secret_table" does not exist', code: '42P01' });
  }
  @Rpc() empty_object() {
    return Promise.reject({});
  }
  @Rpc() a_string() {
    throw 'internal detail';
  }
  @Rpc() null_value() {
    return Promise.reject(null);
  }
  @Rpc() own_error() {
    throw new OrderNotFoundError();
  }
  @Rpc() registered() {
    throw new CardDeclined('card declined');
  }
  @Rpc() nest_http() {
    throw new NotFoundException('no such order');
  }
  @Rpc() nest_rpc() {
    throw new RpcException({ name: 'Legacy', message: 'legacy failure', code: 'LEGACY' });
  }
}

describe('Errors that cross the wire', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    nats = await ensureNats();
    const prefix = uniquePrefix();
    service = await createTestApp({
      nats: { service: 'leaky', servers: nats.url, subjectPrefix: prefix, errors: [CardDeclined] },
      controllers: [LeakyController],
      logger,
    });
  });

  afterAll(async () => {
    await service?.close();
    await nats?.release();
  });

  it.each([
    ['a Node system error', 'missing_file', 'secret-folder'],
    ['a refused connection', 'database_down', '127.0.0.1:1'],
    ['a plain object shaped like an error', 'plain_object', 'secret_table'],
    ['an empty object', 'empty_object', 'non-error thrown: {}'],
    ['a string', 'a_string', 'internal detail'],
    ['null', 'null_value', 'non-error thrown: null'],
  ])('sends %s as a generic InternalError and logs it once with its correlation ID', async (_name, method, detail) => {
    logger.lines.length = 0;
    const error = (await service.client.call('leaky', method).catch((e: unknown) => e)) as RemoteError;
    expect(error).toMatchObject({ name: 'RemoteError', remoteName: 'InternalError', code: 'INTERNAL', message: 'Internal server error' });
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(detail);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain(`leaky.${method}`);
    expect(logger.lines[0]).toMatch(/correlation [0-9a-f-]{36}/);
    expect(logger.lines[0]).toContain(detail);
  });

  it.each([
    ['a Cliffracer error', 'own_error', { remoteName: 'OrderNotFoundError', code: 'ORDER_NOT_FOUND', message: 'order not found: 42' }],
    ['a registered class', 'registered', { code: 'CARD_DECLINED', message: 'card declined' }],
    ['a Nest HttpException', 'nest_http', { code: 'NOT_FOUND', message: 'no such order' }],
    ['a Nest RpcException', 'nest_rpc', { remoteName: 'Legacy', code: 'LEGACY', message: 'legacy failure' }],
  ])('sends %s with its own message, unlogged', async (_name, method, expected) => {
    logger.lines.length = 0;
    const error = await service.client.call('leaky', method).catch((e: unknown) => e);
    expect(error).toMatchObject(expected);
    expect(logger.lines).toHaveLength(0);
  });
});
