import { Rpc } from '@cliffracer/nats-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';

/** `record`: answers with the request's id, having reported it as its one side effect. */
@Controller()
export class RecordController {
  /**
   * The effect of every instance made after it is set. A scenario whose service answers the
   * moment it subscribes (requests already waiting) sets it before starting the service, as the
   * instance's own `effect` would be set only after the first answers.
   */
  static defaultEffect: (id: string) => void = () => undefined;

  effect: (id: string) => void = RecordController.defaultEffect;

  @Rpc()
  record(@Payload() request: { id: string }): string {
    this.effect(request.id);
    return request.id;
  }
}
