/** The text a session sees once logged in. */
export function backdoorBanner(service: string, now = new Date()): string {
  return [
    'Cliffracer Backdoor - Live Service Debugging',
    '='.repeat(50),
    `Service: ${service}`,
    `Time: ${now.toISOString()}`,
    '',
    'Available commands:',
    '  help_backdoor()    - Show debugging commands',
    '  inspect_service()  - Show service information',
    '  inspect_nats()     - Show NATS connection details',
    '  list_subs()        - Show subscriptions',
    '  list_workers()     - Show active workers',
    '  show_metrics()     - Show per-handler metrics',
    '',
    'Variables:',
    '  app, get(Token)    - The Nest application and any provider',
    '  service, nats      - This service and its NATS connection',
    '',
  ].join('\n');
}
