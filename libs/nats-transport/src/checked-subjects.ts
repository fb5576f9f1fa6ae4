import { isValidSubject, isValidToken, rpcSubject } from './subjects.js';

/** Name pairs and event subjects kept at most; past that, a subject is checked and built on each use. */
const MAX_KEPT = 1024;

/**
 * The subjects a client publishes on, checked and built once per name: each call or event
 * after the first reuses one string. Built anew, a subject costs its check by regular
 * expression here and a copy of the joined string when nats.js checks it in turn (about 1,500
 * instructions per call, a few percent of a call's own work).
 */
export class CheckedSubjects {
  private readonly rpc = new Map<string, Map<string, string>>();
  private readonly events = new Map<string, string>();
  private kept = 0;

  constructor(private readonly prefix: string) {}

  /** The subject `service.method` is called on; undefined unless both are single subject tokens. */
  rpcSubject(service: string, method: string): string | undefined {
    const known = this.rpc.get(service)?.get(method);
    if (known !== undefined) return known;
    if (!isValidToken(service) || !isValidToken(method)) return undefined;
    const subject = rpcSubject(this.prefix, service, method);
    if (this.keep()) {
      let methods = this.rpc.get(service);
      if (methods === undefined) this.rpc.set(service, (methods = new Map()));
      methods.set(method, subject);
    }
    return subject;
  }

  /** The prefixed subject event `subject` is published on; undefined unless it is a concrete subject. */
  eventSubject(subject: string): string | undefined {
    const known = this.events.get(subject);
    if (known !== undefined) return known;
    if (!isValidSubject(subject)) return undefined;
    const target = `${this.prefix}${subject}`;
    if (this.keep()) this.events.set(subject, target);
    return target;
  }

  private keep(): boolean {
    if (this.kept >= MAX_KEPT) return false;
    this.kept += 1;
    return true;
  }
}
