// Entry point of `npm run logs`: reads the debug logs of a session.
import { LOGS_USAGE, runLogsCommand } from './logs.command.js';

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.stdout.on('error', () => controller.abort());

runLogsCommand(process.argv.slice(2), process.stdout, controller.signal).catch((error: Error) => {
  console.error(`${error.message}\n${LOGS_USAGE}`);
  process.exitCode = 2;
});
