import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthModule, type AuthUser, CurrentUser, TokenService } from '@cliffracer/auth';
import { InvalidOptionsError } from '@cliffracer/common';
import { CORRELATION_ID_HEADER } from '@cliffracer/correlation';
import {
  CALLER_HEADER_LIMITS,
  CallerHeader,
  CallerHeaders,
  durableStreamName,
  ERROR_STATUS_HEADER,
  Event,
  NatsClient,
  PayloadTooLargeError,
  Rpc,
} from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, removeDurableStream, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';

const AUTH = { secret: 'caller-headers-test-secret-of-32-chars!', issuer: 'cliffracer-tests', audience: 'shop' };

/** What the event handlers saw. */
@Injectable()
class Seen {
  readonly events: Array<{ kind: string; id: string; tenant?: string; headers: Record<string, string> }> = [];
}

@Controller()
class TenantController {
  constructor(
    private readonly seen: Seen,
    private readonly client: NatsClient,
  ) {}

  @Rpc()
  tenant(@CallerHeader('X-Tenant') tenant?: string) {
    return tenant ?? null;
  }

  @Rpc()
  echo(@CallerHeaders() headers: Record<string, string>) {
    return { headers, proto: Object.getPrototypeOf(headers) === Object.prototype, own: Object.keys(headers) };
  }

  /** Calls `echo` without passing its own caller's headers on. */
  @Rpc()
  relay() {
    return this.client.call('tenants', 'echo');
  }

  /** Calls `echo` passing its caller's tenant on explicitly. */
  @Rpc()
  relay_tenant(@CallerHeader('x-tenant') tenant: string) {
    return this.client.call('tenants', 'echo', undefined, { headers: { 'X-Tenant': tenant } });
  }

  @Event('tenants.events.created')
  onCreated(@Payload() event: { id: string }, @CallerHeader('X-TENANT') tenant: string | undefined, @CallerHeaders() headers: Record<string, string>) {
    this.seen.events.push({ kind: 'core', id: event.id, tenant, headers });
  }

  @Event('tenants.events.stored', { durable: 'audit' })
  onStored(@Payload() event: { id: string }, @CallerHeader('x-tenant') tenant: string | undefined, @CallerHeaders() headers: Record<string, string>) {
    this.seen.events.push({ kind: 'durable', id: event.id, tenant, headers });
  }
}

@Controller()
class VaultController {
  @Rpc()
  open(@CurrentUser() user: AuthUser, @CallerHeaders() headers: Record<string, string>) {
    return { sub: user.sub, headers };
  }
}

/** `count` headers `X-H<n>` of value `v`. */
function manyHeaders(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`X-H${i}`, 'v']));
}

describe('caller headers', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let service: TestApp;
  let vault: TestApp;
  let client: NatsClient;
  let raw: NatsConnection;
  const seen = new Seen();

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = `${uniquePrefix()}.`;
    service = await createTestApp({
      nats: { service: 'tenants', servers: nats.url, subjectPrefix: prefix },
      controllers: [TenantController],
      providers: [{ provide: Seen, useValue: seen }],
      logger: false,
    });
    vault = await createTestApp({
      nats: { service: 'vault', servers: nats.url, subjectPrefix: prefix },
      imports: [AuthModule.forRoot(AUTH)],
      controllers: [VaultController],
      logger: false,
    });
    client = new NatsClient({ service: 'caller', servers: nats.url, subjectPrefix: prefix });
    raw = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await raw?.close();
    await client?.close();
    await vault?.close();
    await service?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
  });

  /** A request straight on NATS, with any header lines, as a hostile caller would send it. */
  async function rawCall(subject: string, lines: Array<[name: string, value: string]>) {
    const h = natsHeaders();
    for (const [name, value] of lines) h.append(name, value);
    const reply = await raw.request(`${prefix}${subject}`, '{}', { headers: h, timeout: 2000 });
    return { status: reply.headers?.get(ERROR_STATUS_HEADER) || undefined, body: JSON.parse(reply.string()) as unknown };
  }

  /** The rejection of `work`, which must reject. */
  async function refusal(work: PromiseLike<unknown>): Promise<Error> {
    return Promise.resolve(work).then(
      () => {
        throw new Error('expected a rejection');
      },
      (error: unknown) => error as Error,
    );
  }

  describe('happy path', () => {
    it('carries a header of a call to @CallerHeader in the handler', async () => {
      await expect(client.call('tenants', 'tenant', undefined, { headers: { 'X-Tenant': 'acme' } })).resolves.toBe('acme');
    });

    it('finds the header whatever the casing the caller used', async () => {
      await expect(client.call('tenants', 'tenant', undefined, { headers: { 'x-TeNaNt': 'acme' } })).resolves.toBe('acme');
    });

    it('gives undefined when the caller sent no such header', async () => {
      await expect(client.call('tenants', 'tenant')).resolves.toBeNull();
    });

    it('gives @CallerHeaders() every caller header as a plain object keyed in lower case, without the framework headers', async () => {
      const reply = await client.call('tenants', 'echo', undefined, { headers: { 'X-Tenant': 'acme', 'Idempotency-Key': 'k-1' } });
      expect(reply).toEqual({ headers: { 'x-tenant': 'acme', 'idempotency-key': 'k-1' }, proto: true, own: ['x-tenant', 'idempotency-key'] });
    });

    it('gives @CallerHeaders() an empty object to a call without headers', async () => {
      await expect(client.call('tenants', 'echo')).resolves.toEqual({ headers: {}, proto: true, own: [] });
    });

    it('carries the headers of a core event to its handler', async () => {
      await client.emit('tenants.events.created', { id: 'c-1' }, { headers: { 'x-tenant': 'acme', 'X-Request-Source': 'import' } });
      await waitUntil(() => seen.events.some((e) => e.id === 'c-1'));
      expect(seen.events.find((e) => e.id === 'c-1')).toEqual({
        kind: 'core',
        id: 'c-1',
        tenant: 'acme',
        headers: { 'x-tenant': 'acme', 'x-request-source': 'import' },
      });
    });

    it('keeps the headers of a durable event in the stream and gives them to its handler', async () => {
      await client.emit('tenants.events.stored', { id: 'd-1' }, { durable: true, headers: { 'X-Tenant': 'acme' } });
      const nc = await connect({ servers: nats.url });
      try {
        const jsm = await jetstreamManager(nc);
        const stored = await jsm.streams.getMessage(durableStreamName(prefix, 'CLIFFRACER_EVENTS'), { last_by_subj: `${prefix}tenants.events.stored` });
        expect(stored?.header.get('X-Tenant')).toBe('acme');
      } finally {
        await nc.close();
      }
      await waitUntil(() => seen.events.some((e) => e.id === 'd-1'), 10_000);
      // The stream's own headers (Nats-Msg-Id) and the correlation ID are not caller headers.
      expect(seen.events.find((e) => e.id === 'd-1')).toEqual({ kind: 'durable', id: 'd-1', tenant: 'acme', headers: { 'x-tenant': 'acme' } });
    });

    it('does not pass a caller header on to the calls the handler makes', async () => {
      await expect(client.call('tenants', 'relay', undefined, { headers: { 'X-Tenant': 'acme' } })).resolves.toEqual({ headers: {}, proto: true, own: [] });
    });

    it('passes a caller header on to a nested call when the handler passes it again', async () => {
      await expect(client.call('tenants', 'relay_tenant', undefined, { headers: { 'X-Tenant': 'acme' } })).resolves.toMatchObject({
        headers: { 'x-tenant': 'acme' },
      });
    });

    it(`sends ${CALLER_HEADER_LIMITS.maxHeaders} headers of ${CALLER_HEADER_LIMITS.maxBytes} bytes together, the limits`, async () => {
      const headers = manyHeaders(CALLER_HEADER_LIMITS.maxHeaders);
      const used = Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
      headers['X-H0'] = 'v'.repeat(CALLER_HEADER_LIMITS.maxBytes - used + 1);
      const reply = (await client.call('tenants', 'echo', undefined, { headers })) as { own: string[]; headers: Record<string, string> };
      expect(reply.own).toHaveLength(CALLER_HEADER_LIMITS.maxHeaders);
      expect(reply.headers['x-h0']).toHaveLength(headers['X-H0']!.length);
    });

    it('keeps UTF-8 and tabs in a value', async () => {
      await expect(client.call('tenants', 'tenant', undefined, { headers: { 'X-Tenant': 'Zürich\tNord' } })).resolves.toBe('Zürich\tNord');
    });
  });

  describe('refused on the caller', () => {
    // A client whose NATS cannot be reached: a refusal shows it was made before connecting.
    const offline = () => new NatsClient({ service: 'caller', servers: 'nats://127.0.0.1:1', subjectPrefix: prefix });

    it.each([
      'X-Correlation-ID',
      'x-correlation-id',
      'Authorization',
      'AUTHORIZATION',
      'traceparent',
      'TraceState',
      'Nats-Msg-Id',
      'nats-expected-last-sequence',
      'Nats-Service-Error-Code',
      'Nats-Service-Error',
      'Cliffracer-Error',
      'cliffracer-original-subject',
    ])('refuses the reserved header %s on a call, naming it, before connecting', async (name) => {
      const error = await refusal(offline().call('tenants', 'tenant', undefined, { headers: { [name]: 'forged' } }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toBe(`invalid NatsClient options: header ${JSON.stringify(name)} is reserved for the framework and cannot be set by a caller: tenants.tenant`);
    });

    it('refuses a reserved header on a core event', async () => {
      const error = await refusal(offline().emit('tenants.events.created', { id: 'x' }, { headers: { Authorization: 'Bearer forged' } }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toBe('invalid NatsClient options: header "Authorization" is reserved for the framework and cannot be set by a caller: tenants.events.created');
    });

    it('refuses a reserved header on a durable event, so the stream never holds it', async () => {
      const error = await refusal(client.emit('tenants.events.stored', { id: 'x' }, { durable: true, headers: { 'Nats-Msg-Id': 'm-1' } }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toContain('header "Nats-Msg-Id" is reserved');
      expect(seen.events.some((e) => e.id === 'x')).toBe(false);
    });

    it.each([
      ['a space', 'X Tenant'],
      ['a colon', 'X-Tenant:'],
      ['a CR', 'X-Tenant\r'],
      ['an LF', 'X-Tenant\nAuthorization: Bearer forged'],
      ['no character at all', ''],
      ['a non-ASCII letter', 'X-Ténant'],
    ])('refuses a header name with %s', async (_what, name) => {
      const error = await refusal(offline().call('tenants', 'tenant', undefined, { headers: { [name]: 'acme' } }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toMatch(/^invalid NatsClient options: header name ".*" is not a token \(.*\): tenants\.tenant$/);
      expect(error.message).toContain(JSON.stringify(name));
    });

    it.each([
      ['a CR', 'acme\r'],
      ['an LF', 'acme\nAuthorization: Bearer forged'],
      ['CR LF', 'acme\r\n'],
      ['an ESC', 'acme\x1b[2J'],
      ['a NUL', 'ac\x00me'],
      ['a lone surrogate', 'acme\uD800'],
    ])('refuses a header value with %s', async (_what, value) => {
      const error = await refusal(offline().call('tenants', 'tenant', undefined, { headers: { 'X-Tenant': value } }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toBe('invalid NatsClient options: header "X-Tenant" must have a string value without line breaks, other control characters or lone surrogates: tenants.tenant');
    });

    it('refuses a header value that is not a string', async () => {
      const headers = { 'X-Tenant': 42 } as unknown as Record<string, string>;
      const error = await refusal(offline().emit('tenants.events.created', {}, { headers }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toContain('header "X-Tenant" must have a string value');
    });

    it('refuses one header given twice in two casings', async () => {
      const error = await refusal(offline().call('tenants', 'tenant', undefined, { headers: { 'X-Tenant': 'acme', 'x-tenant': 'evil' } }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toBe('invalid NatsClient options: header "x-tenant" is given twice (names ignore case): tenants.tenant');
    });

    it(`refuses more than ${CALLER_HEADER_LIMITS.maxHeaders} headers, naming the limit`, async () => {
      const error = await refusal(offline().call('tenants', 'tenant', undefined, { headers: manyHeaders(CALLER_HEADER_LIMITS.maxHeaders + 1) }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toBe('invalid NatsClient options: 33 headers are more than the limit maxHeaders (32): tenants.tenant');
    });

    it(`refuses headers over ${CALLER_HEADER_LIMITS.maxBytes} bytes, naming the limit`, async () => {
      const error = await refusal(offline().call('tenants', 'tenant', undefined, { headers: { 'X-Blob': 'ü'.repeat(4096) } }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toBe('invalid NatsClient options: headers are over the limit maxBytes (8192 bytes of names and values): tenants.tenant');
    });

    it('refuses headers that are not a plain object', async () => {
      const headers = new Map([['X-Tenant', 'acme']]) as unknown as Record<string, string>;
      const error = await refusal(offline().call('tenants', 'tenant', undefined, { headers }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toBe('invalid NatsClient options: headers must be a plain object of header names to string values: tenants.tenant');
    });

    it('counts the caller headers in a request refused as over max_payload', async () => {
      const max = (await client.connect()).info!.max_payload;
      // A body that fits on its own; with 8 KiB of headers the request does not.
      const payload = 'x'.repeat(max - 4096);
      const error = await refusal(client.call('tenants', 'echo', payload, { headers: { 'X-Blob': 'v'.repeat(8000) } }));
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      const { bytes, maxBytes } = error as PayloadTooLargeError;
      expect(maxBytes).toBe(max);
      expect(bytes).toBeGreaterThan(max);
    });

    it('refuses to read a reserved header with @CallerHeader when the class is declared', () => {
      expect(() => CallerHeader('authorization')).toThrow(InvalidOptionsError);
      expect(() => CallerHeader('X-Correlation-Id')).toThrow(
        'invalid CallerHeader options: header "X-Correlation-Id" is reserved: read the correlation ID from CorrelationContext and the user from @CurrentUser(), not the raw header',
      );
    });
  });

  describe('spoofed on the wire', () => {
    it('gives the handler the values a raw message carried, repeated ones and other casings joined', async () => {
      const reply = await rawCall('tenants.tenant', [
        ['X-Tenant', 'acme'],
        ['X-Tenant', 'evil'],
        ['x-tenant', 'other'],
      ]);
      expect(reply).toEqual({ status: undefined, body: 'acme, evil, other' });
    });

    it('leaves spoofed reserved headers out of @CallerHeaders(), and a __proto__ header is an ordinary key', async () => {
      const reply = await rawCall('tenants.echo', [
        ['X-Tenant', 'acme'],
        ['Authorization', 'Bearer forged'],
        ['Nats-Service-Error-Code', '500'],
        ['Cliffracer-Error', 'forged'],
        ['traceparent', '00-forged'],
        [CORRELATION_ID_HEADER, 'forged-cid'],
        ['__proto__', 'polluted'],
      ]);
      // The spoofed error status on the request does not make the reply an error either.
      expect(reply).toEqual({ status: undefined, body: { headers: { 'x-tenant': 'acme', ['__proto__']: 'polluted' }, proto: true, own: ['x-tenant', '__proto__'] } });
    });

    it("still runs a forged Authorization header through the auth guard: 401, not the handler's reply", async () => {
      const reply = await rawCall('vault.open', [
        ['Authorization', 'Bearer forged.token.value'],
        ['X-Tenant', 'acme'],
      ]);
      expect(reply).toEqual({ status: '401', body: { name: 'UnauthorizedError', message: 'unauthorized', code: 'UNAUTHORIZED' } });
    });

    it('serves a valid token beside caller headers, the token kept out of @CallerHeaders()', async () => {
      const token = await vault.app.get(TokenService).issue({ sub: 'ann' });
      const reply = await rawCall('vault.open', [
        ['authorization', `Bearer ${token}`],
        ['X-Tenant', 'acme'],
      ]);
      expect(reply).toEqual({ status: undefined, body: { sub: 'ann', headers: { 'x-tenant': 'acme' } } });
    });
  });
});
