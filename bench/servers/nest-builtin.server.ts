// NestJS's own NATS transport (Transport.NATS) with @MessagePattern / @EventPattern.
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { connect } from '@nats-io/transport-node';
import { benchSubjects } from '../bench.config.js';
import { EventCounter, reportReady } from './server-process.js';

const subjects = benchSubjects(process.env.BENCH_PREFIX!);
const announcer = await connect({ servers: process.env.NATS_URL });
const counter = new EventCounter(Number(process.env.BENCH_EVENTS), (n) => announcer.publish(subjects.done, String(n)));

@Controller()
class EchoController {
  @MessagePattern(subjects.echo)
  echo(@Payload() payload: unknown) {
    return payload;
  }

  @EventPattern(subjects.event)
  onEvent(@Payload() _payload: unknown) {
    counter.add();
  }
}

@Module({ controllers: [EchoController] })
class BenchModule {}

const app = await NestFactory.createMicroservice(BenchModule, {
  transport: Transport.NATS,
  options: { servers: [process.env.NATS_URL!], queue: 'bench' },
  logger: false,
});
await app.listen();
reportReady(announcer, () => counter.count, async () => {
  await app.close();
  await announcer.close();
});
