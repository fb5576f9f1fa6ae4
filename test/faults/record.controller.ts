import { Rpc } from '@cliffracer/nats-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';

/** `record`: answers with the request's id, having reported it as its one side effect. */
@Controller()
export class RecordController {
  effect: (id: string) => void = () => undefined;

  @Rpc()
  record(@Payload() request: { id: string }): string {
    this.effect(request.id);
    return request.id;
  }
}
