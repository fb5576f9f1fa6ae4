import { isSecretName, REDACTED } from '@cliffracer/debug-logger';

// `key: value` and `key = value`, the key bare or quoted (`"apiKey":`, `['api-key'] =`); not `==` or `=>`.
// The value is a quoted string (escapes included), `Bearer …`/`Basic …`, or a bare word.
// Each pattern starts only where a word starts (the lookbehinds): tried at every letter of a
// long word, it would rescan the rest of the word each time, quadratic in the input.
const PAIR =
  /(?<![\w$-])(["'`]?)([A-Za-z_$][\w$-]*)\1(\]?\s*(?::|=(?![=>]))\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|(?:Bearer|Basic)\s+[^\s,;)}\]]+|[^\s,;)}\]]+)/g;
// A JWT wherever it stands, named or not.
const JWT = /(?<![\w-])eyJ[\w-]*\.[\w-]+\.[\w-]*/g;

/**
 * A typed command as it may be logged: the value of every pair whose key the debug logger
 * counts as secret (password, token, secret, authorization, api key…) and every JWT becomes
 * `[REDACTED]`. It may redact too much (any value after such a key), never a key itself.
 */
export function redactCommand(command: string): string {
  return command
    .replace(PAIR, (pair: string, quote: string, key: string, separator: string) => (isSecretName(key) ? `${quote}${key}${quote}${separator}${REDACTED}` : pair))
    .replace(JWT, REDACTED);
}
