/** What a client is told when logins are locked after too many failures. */
export const lockedOutMessage = (retryAfterMs: number) => `too many failed logins: try again in ${Math.ceil(retryAfterMs / 1000)} s\n`;

/** What a client is told when every session slot is taken. */
export const tooManySessionsMessage = (maxSessions: number) => `too many backdoor sessions (max ${maxSessions}): try later\n`;
