import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Rpc, RpcValidationPipe, ValidationError } from '@cliffracer/nats-transport';
import { type TestApp } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { createInbox, type NatsConnection } from '@nats-io/transport-node';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { startServiceWithRaw } from '../support/service-with-raw.js';

class NoteDto {
  @IsString() text!: string;
  @IsOptional() @ValidateNested() @Type(() => NoteDto) reply?: NoteDto;
}

@Controller()
class NotesController {
  @Rpc()
  add(@Payload() note: NoteDto) {
    return { text: note.text };
  }

  @Rpc({ limits: { maxStringLength: 8 } })
  tag(@Payload() body: { tag: string }) {
    return body;
  }
}

const manyKeys = `{"text":"x",${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`;
const deep = `{"text":"x","reply":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
// Every container within its own limits, 300,000 values in all (600 KB): walked whole by class-transformer.
const wide = `{"text":"x","k":[${Array(30).fill(`[${Array(10_000).fill('0').join(',')}]`).join(',')}]}`;

describe('Payload limits', () => {
  let service: TestApp;
  let raw: NatsConnection;
  let stop: (() => Promise<void>) | undefined;
  let prefix: string;

  beforeAll(async () => {
    ({ service, raw, prefix, close: stop } = await startServiceWithRaw({
      nats: { service: 'notes' },
      controllers: [NotesController],
      logger: false,
      configure: (app) => app.useGlobalPipes(new RpcValidationPipe()),
    }));
  });

  afterAll(async () => {
    await stop?.();
  });

  it.each([
    ['50,000 keys', manyKeys, 'maxKeys (1000)'],
    ['nesting 100,000 deep', deep, 'maxDepth (32)'],
    ['30 arrays of 10,000 elements', wide, 'maxValues (20000)'],
  ])('refuses %s with a VALIDATION_ERROR naming the limit, within milliseconds', async (_name, body, limit) => {
    const startedAt = performance.now();
    const reply = await raw.request(`${prefix}.notes.add`, body, { timeout: 2000 });
    expect(performance.now() - startedAt).toBeLessThan(200);
    expect(JSON.parse(new TextDecoder().decode(reply.data))).toMatchObject({
      name: 'ValidationError',
      code: 'VALIDATION_ERROR',
      message: `payload breaks the limit ${limit}: ${prefix}.notes.add`,
    });
  });

  it('rebuilds the refusal as a ValidationError on the caller', async () => {
    await expect(service.client.call('notes', 'add', JSON.parse(manyKeys))).rejects.toBeInstanceOf(ValidationError);
  });

  it('applies a handler limit over the service one', async () => {
    await expect(service.client.call('notes', 'tag', { tag: 'short' })).resolves.toEqual({ tag: 'short' });
    await expect(service.client.call('notes', 'tag', { tag: 'much too long' })).rejects.toThrow('payload breaks the limit maxStringLength (8)');
  });

  it('answers a valid request within 50 ms while a burst of hostile payloads arrives beside it', async () => {
    // The first valid call compiles the DTO's validation plan: not what is measured here.
    await service.client.call('notes', 'add', { text: 'warm-up' });
    // Five bursts, the fastest counted: a burst costs the same each time, while a collection
    // of the test process's own heap (large late in a long run) may fall into any one window.
    // The bodies are encoded once, so the bursts add no 4 MB of garbage of their own.
    const bodies = [manyKeys, deep].map((text) => new TextEncoder().encode(text));
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      const inbox = createInbox();
      const refused = raw.subscribe(inbox);
      for (let i = 0; i < 5; i++) for (const body of bodies) raw.publish(`${prefix}.notes.add`, body, { reply: inbox });
      await raw.flush();
      const startedAt = performance.now();
      await expect(service.client.call('notes', 'add', { text: 'valid' })).resolves.toEqual({ text: 'valid' });
      times.push(performance.now() - startedAt);
      let answered = 0;
      for await (const reply of refused) {
        expect(new TextDecoder().decode(reply.data)).toContain('"code":"VALIDATION_ERROR"');
        if (++answered === 10) break;
      }
    }
    expect(Math.min(...times)).toBeLessThan(50);
  });
});
