// This transport as a service runs it: @Rpc / @Event, correlation, RpcValidationPipe on a DTO.
import 'reflect-metadata';
import { DebugLoggerModule } from '@cliffracer/debug-logger';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Event, NatsServer, NatsTransportModule, Rpc, RpcValidationPipe } from '@cliffracer/nats-transport';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { connect } from '@nats-io/transport-node';
import { IsInt, IsString, Min } from 'class-validator';
import { EventCounter, reportReady } from './server-process.js';
import { benchSubjects } from '../bench.config.js';

const prefix = process.env.BENCH_PREFIX!;
const subjects = benchSubjects(prefix);
const announcer = await connect({ servers: process.env.NATS_URL });
const counter = new EventCounter(Number(process.env.BENCH_EVENTS), (n) => announcer.publish(subjects.done, String(n)));

class ReservationDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
  @IsString() orderId!: string;
}

@Controller()
class EchoController {
  @Rpc()
  echo(@Payload() payload: ReservationDto) {
    return payload;
  }

  @Event('bench.evt')
  onEvent(@Payload() _payload: ReservationDto) {
    counter.add();
  }
}

const nats = { service: 'bench', servers: process.env.NATS_URL, subjectPrefix: prefix };

// BENCH_DEBUG_LOGGER=true: the debug logger times every handler into a session folder of its
// own, sampling above its default rate unless BENCH_DEBUG_TIMINGS_PER_SECOND says otherwise.
const debugDir = process.env.BENCH_DEBUG_LOGGER === 'true' ? await mkdtemp(join(tmpdir(), 'bench-debug-')) : undefined;
const timingsPerSecond = process.env.BENCH_DEBUG_TIMINGS_PER_SECOND === undefined ? undefined : Number(process.env.BENCH_DEBUG_TIMINGS_PER_SECOND);
const debugLogger = DebugLoggerModule.forRoot({ enabled: debugDir !== undefined, dir: debugDir, service: 'bench', timingsPerSecond });

@Module({ imports: [NatsTransportModule.forRoot(nats), debugLogger], controllers: [EchoController] })
class BenchModule {}

const app = await NestFactory.createMicroservice(BenchModule, { strategy: new NatsServer(nats), logger: false });
app.useGlobalPipes(new RpcValidationPipe());
await app.listen();
// The debug logger's cost is measured by pausing and resuming its timing in short turns.
if (debugDir !== undefined) {
  const debug = app.get(DebugLoggerModule);
  announcer.subscribe(subjects.debugSwitch, {
    callback: (_error, msg) => {
      debug.setInstrumented(msg.string() === 'on');
      msg.respond('ok');
    },
  });
}
reportReady(announcer, () => counter.count, async () => {
  await app.close();
  await announcer.close();
  if (debugDir !== undefined) await rm(debugDir, { recursive: true, force: true });
});
