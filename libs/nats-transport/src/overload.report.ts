import { overloadChannel, type OverloadReport } from './nats-transport.diagnostics.js';

/** Where the refusal happened and how full the bulkhead was. */
export interface OverloadFacts extends Omit<OverloadReport, 'subject'> {
  subjectPrefix: string;
  /** The full subject, prefix included: the report leaves it out. */
  subject: string;
}

/** Publishes a refused or expired message on `NATS_OVERLOAD_CHANNEL`; callers check `hasSubscribers` first. */
export function reportOverload({ subjectPrefix, subject, ...facts }: OverloadFacts): void {
  const report: OverloadReport = { ...facts, subject: subject.slice(subjectPrefix.length) };
  overloadChannel.publish(report);
}
