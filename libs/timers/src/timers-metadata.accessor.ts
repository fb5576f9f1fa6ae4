import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { TimerMetadata } from './interfaces/timer-metadata.interface.js';
import { TIMER_METADATA } from './timers.constants.js';

/** Typed reads of what `@Timer` recorded. */
@Injectable()
export class TimersMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  getTimer(method: Function): TimerMetadata | undefined {
    return this.reflector.get<TimerMetadata | undefined>(TIMER_METADATA, method);
  }
}
