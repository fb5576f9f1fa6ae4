import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import { createHttpService, HttpFrontDoorModule } from '@cliffracer/http';
import { createNatsMicroservice, NatsClient, type NatsOptionsSource, NatsTransportModule, type NatsTransportModuleOptions, Rpc } from '@cliffracer/nats-transport';
import { callRpc, ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import { Controller, type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';

/** Answers `configured.whoami`, and `configured.relay` by calling `whoami` through its own client. */
@Controller()
class ConfiguredController {
  constructor(private readonly client: NatsClient) {}

  @Rpc()
  whoami(): string {
    return 'configured';
  }

  @Rpc()
  relay(): Promise<string> {
    return this.client.call<string>('configured', 'whoami', {}, { timeoutMs: 2000 });
  }
}

/** The environment of one test, for every module of the app: read by ConfigService only, never through process.env. */
const configFrom = (env: Record<string, string>) => ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => env] });

/** NATS options from a ConfigService, as a service's own config factory would build them. */
function natsFromConfig(config: ConfigService): NatsTransportModuleOptions {
  return { service: 'configured', servers: config.getOrThrow<string>('NATS_URL'), subjectPrefix: config.getOrThrow<string>('NATS_SUBJECT_PREFIX') };
}

const FROM_CONFIG = { inject: [ConfigService], useFactory: natsFromConfig };

@Module({})
class ConfiguredModule {
  /** The transport module configured from ConfigService too: `forRootAsync`. */
  static forEnv(env: Record<string, string>, http = false): DynamicModule {
    return {
      module: ConfiguredModule,
      imports: [
        configFrom(env),
        NatsTransportModule.forRootAsync(FROM_CONFIG),
        ...(http ? [HttpFrontDoorModule.forRootAsync({ inject: [ConfigService], useFactory: (config: ConfigService) => ({ service: config.getOrThrow<string>('SERVICE') }) })] : []),
      ],
      controllers: [ConfiguredController],
    };
  }
}

describe('NATS options from dependency injection', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    nats = await ensureNats();
  });
  afterAll(async () => {
    await nats?.release();
  });

  beforeEach(() => {
    prefix = uniquePrefix();
    env = { NATS_URL: nats.url, NATS_SUBJECT_PREFIX: prefix, SERVICE: 'configured' };
  });

  const call = (method: string) => callRpc({ servers: nats.url, subjectPrefix: prefix }, 'configured', method, {}, { timeoutMs: 5000 });

  describe('createNatsMicroservice', () => {
    it('serves with options a factory builds from ConfigService', async () => {
      const app = await createNatsMicroservice(ConfiguredModule.forEnv(env), FROM_CONFIG, { logger: false });
      try {
        await app.listen();
        await expect(call('whoami')).resolves.toBe('configured');
      } finally {
        await app.close();
      }
    });

    it('serves with the options of NatsTransportModule.forRootAsync when given none, its client configured alike', async () => {
      const app = await createNatsMicroservice(ConfiguredModule.forEnv(env), undefined, { logger: false });
      try {
        await app.listen();
        await expect(call('relay')).resolves.toBe('configured');
      } finally {
        await app.close();
      }
    });
  });

  describe('createHttpService', () => {
    it('serves NATS and HTTP with options from ConfigService, HttpFrontDoorModule.forRootAsync included', async () => {
      const app = await createHttpService(ConfiguredModule.forEnv(env, true), FROM_CONFIG, { logger: false });
      try {
        await app.startAllMicroservices();
        await app.listen({ port: 0, host: '127.0.0.1' });
        await expect(call('relay')).resolves.toBe('configured');
        const health = await fetch(`${await app.getUrl()}/health/ready`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ service: 'configured' });
      } finally {
        await app.close();
      }
    });
  });

  describe('a factory that cannot give options fails at boot with InvalidOptionsError', () => {
    const failures: Array<[string, NatsOptionsSource, string]> = [
      ['it throws', { inject: [ConfigService], useFactory: (config: ConfigService) => config.getOrThrow('NATS_TOKEN') }, 'the options factory failed: Configuration key "NATS_TOKEN" does not exist'],
      ['it returns bad options', { useFactory: () => ({ service: 'not a token' }) }, 'service must be a subject token'],
      ['it returns nothing', { useFactory: () => undefined as unknown as NatsTransportModuleOptions }, 'the options factory must return an object of options, got undefined'],
      ['it returns a promise', { useFactory: () => Promise.resolve({ service: 'x' }) as unknown as NatsTransportModuleOptions }, 'the options factory returned a promise'],
      ['it injects what no module provides', { inject: ['NOT_PROVIDED'], useFactory: () => ({ service: 'x' }) }, 'the options factory injects NOT_PROVIDED, which no module of the app provides'],
    ];

    it.each(failures)('createNatsMicroservice: %s', async (_case, source, message) => {
      const failure = createNatsMicroservice(ConfiguredModule.forEnv(env), source, { logger: false });
      await expect(failure).rejects.toThrow(InvalidOptionsError);
      await expect(failure).rejects.toThrow(message);
    });

    it.each(failures)('createHttpService: %s', async (_case, source, message) => {
      const failure = createHttpService(ConfiguredModule.forEnv(env, true), source, { logger: false });
      await expect(failure).rejects.toThrow(InvalidOptionsError);
      await expect(failure).rejects.toThrow(message);
    });

    it('names the missing NatsTransportModule when no options are given', async () => {
      @Module({ imports: [configFrom(env)], controllers: [] })
      class BareModule {}
      await expect(createNatsMicroservice(BareModule, undefined, { logger: false })).rejects.toThrow(
        'invalid NatsTransport options: no NATS options: pass them, or { inject, useFactory }, or import NatsTransportModule (forRoot or forRootAsync)',
      );
    });
  });
});
