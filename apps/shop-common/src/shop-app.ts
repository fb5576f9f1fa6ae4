import { CorrelationLogger } from '@cliffracer/correlation';
import { createHttpService } from '@cliffracer/http';
import { installProcessGuards, RpcValidationPipe } from '@cliffracer/nats-transport';
import { type DynamicModule, Logger, type LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ShopServiceConfig } from './shop-config.js';
import { startShopTracing } from './shop-tracing.js';

/** How a shop service app is built. */
export interface ShopAppOptions {
  logger?: LoggerService | false;
  websockets?: boolean;
}

/** A shop service as one app: its NATS handlers and its HTTP door, payloads validated on both. */
export async function createShopApp(module: DynamicModule, config: ShopServiceConfig, options: ShopAppOptions = {}): Promise<NestFastifyApplication> {
  return createHttpService(module, config.nats, {
    ...options,
    ...(config.http.trustProxy && { trustProxy: config.http.trustProxy }),
    configure: (app) => app.useGlobalPipes(new RpcValidationPipe()),
  });
}

/** Starts the NATS handlers first, so the HTTP health check only answers once they listen. */
export async function startShopApp(app: NestFastifyApplication, config: ShopServiceConfig): Promise<void> {
  await app.startAllMicroservices();
  await app.listen({ port: config.http.port, host: config.http.host });
}

/**
 * A service's `main`: the app with correlated logs, process guards and, when
 * `OTEL_TRACES_EXPORTER` asks for them, traces (`startShopTracing`). It waits for NATS at
 * start (exiting 1 with one line when NATS stays away), drains and exits 0 on SIGTERM and
 * SIGINT, and shuts down the same way, exiting 1, after an unhandled rejection or exception.
 */
export async function runShopService(module: DynamicModule, config: ShopServiceConfig, options: Omit<ShopAppOptions, 'logger'> = {}): Promise<void> {
  const tracing = startShopTracing(config.nats.service);
  const app = await createShopApp(module, config, { ...options, logger: new CorrelationLogger() });
  const logger = new Logger('Shop');
  // Buffered spans are sent before the process ends.
  const exit = (code: number) => void (tracing?.shutdown() ?? Promise.resolve()).catch(() => undefined).finally(() => process.exit(code));
  const guards = installProcessGuards(app, { logger, exit });
  stopWhenOutputCloses(guards);
  try {
    await startShopApp(app, config);
  } catch (error) {
    await guards.abortStart(error);
    return;
  }
  const { servers, subjectPrefix } = config.nats;
  logger.log(`${config.instance} ready: HTTP ${await app.getUrl()}, NATS ${[servers].flat().join(',')}, prefix "${subjectPrefix ?? ''}"`);
}

/**
 * Output whose reader went away (the demo, or a deployment runner, killed with SIGKILL) fails
 * every write with EPIPE. Unhandled, each failure is an uncaught exception whose log line fails
 * again: the process spins at full CPU and ignores SIGTERM. Instead the service shuts down as
 * on SIGTERM, and what it still writes is dropped.
 */
function stopWhenOutputCloses(guards: ReturnType<typeof installProcessGuards>): void {
  let closed = false;
  const onError = (): void => {
    if (closed) return;
    closed = true;
    void guards.shutdown('output closed');
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}
