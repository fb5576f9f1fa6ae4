import { CliffracerError, type Json } from '@cliffracer/common';
import { MESSAGES } from '../nats-transport.messages.js';

/** One field that failed validation, with what was wrong with it. */
export interface FieldFailure {
  /** Dotted path of the field (`items.0.quantity`). */
  field: string;
  /** One sentence per broken rule (`quantity must be a positive number`). */
  messages: string[];
}

/** The payload did not pass validation; `failures` names each failing field. */
export class ValidationError extends CliffracerError {
  override readonly name = 'ValidationError';

  constructor(failures: FieldFailure[], message = MESSAGES.validationFailed(failures.map((f) => f.field))) {
    super(message, { code: 'VALIDATION_ERROR', data: { failures } as unknown as Json });
  }

  /** The failing fields (read from `data`, so an error rebuilt from the wire has them too). */
  get failures(): FieldFailure[] {
    const data = this.data as { failures?: FieldFailure[] } | undefined;
    return data?.failures ?? [];
  }
}
