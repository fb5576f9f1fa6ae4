/** Where NATS services answer discovery requests (ADR-32); not under the subject prefix, as tools ask there. */
export const SERVICE_API_PREFIX = '$SRV';

/** The discovery requests of ADR-32. */
export const MicroVerb = { PING: 'PING', INFO: 'INFO', STATS: 'STATS' } as const;
export type MicroVerb = (typeof MicroVerb)[keyof typeof MicroVerb];

/** The three subjects an instance answers `verb` on: every service, its name, its name and ID. */
export function controlSubjects(verb: MicroVerb, name: string, id: string): string[] {
  const all = `${SERVICE_API_PREFIX}.${verb}`;
  return [all, `${all}.${name}`, `${all}.${name}.${id}`];
}
