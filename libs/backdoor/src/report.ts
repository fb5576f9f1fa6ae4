import { inspect } from 'node:util';

/** Text a helper returns: the REPL prints it as it is, without quotes or escapes. */
export class Report {
  constructor(readonly text: string) {}

  [inspect.custom](): string {
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}
