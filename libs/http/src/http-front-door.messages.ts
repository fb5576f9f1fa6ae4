/** Messages of the HTTP door's errors and logs, one sentence each. */
export const MESSAGES = {
  noDatabaseCheck: () => 'no database check was given (pingDatabase)',
  databaseDidNotAnswer: () => 'the database did not answer its ping',
  shuttingDown: () => 'the service is shutting down',
  tooManyRequests: (retryAfterSec: number) => `too many requests, retry in ${retryAfterSec} s`,
};
