import { overloadChannel, type OverloadReport } from './nats-transport.diagnostics.js';

/** Where the refusal happened and how full the bulkhead was. */
export interface OverloadFacts extends Omit<OverloadReport, 'subject' | 'route' | 'service'> {
  service: string;
  subjectPrefix: string;
  /** Full subjects, prefix included: the report leaves it out. */
  subject: string;
  route: string;
}

/** Publishes a refused or expired message on `NATS_OVERLOAD_CHANNEL`; callers check `hasSubscribers` first. */
export function reportOverload({ subjectPrefix, subject, route, ...facts }: OverloadFacts): void {
  const report: OverloadReport = { ...facts, subject: subject.slice(subjectPrefix.length), route: route.slice(subjectPrefix.length) };
  overloadChannel.publish(report);
}
