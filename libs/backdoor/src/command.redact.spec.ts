import { describe, expect, it } from '@jest/globals';
import { redactCommand } from './command.redact.js';

describe('redactCommand', () => {
  it.each([
    ["await login({ user: 'ann', password: 'hunter2' })", "await login({ user: 'ann', password: [REDACTED] })"],
    ['const body = { "apiKey": "k-123", "n": 1 }', 'const body = { "apiKey": [REDACTED], "n": 1 }'],
    ["headers.authorization = 'Bearer abc'", 'headers.authorization = [REDACTED]'],
    ['call("auth", "check", { Authorization: Bearer xyz })', 'call("auth", "check", { Authorization: [REDACTED] })'],
    ["process.env.BACKDOOR_TOKEN = `t-1`", 'process.env.BACKDOOR_TOKEN = [REDACTED]'],
    ["cfg['api-key'] = 'k'; cfg.client_secret=s3cr3t", "cfg['api-key'] = [REDACTED]; cfg.client_secret=[REDACTED]"],
    ["{ password: 'it\\'s' }", '{ password: [REDACTED] }'],
    ['verify("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln")', 'verify("[REDACTED]")'],
  ])('redacts %s', (command, expected) => {
    expect(redactCommand(command)).toBe(expected);
  });

  it.each([
    "inspect_service()",
    "await call('orders', 'get', { id: 7, user: 'ann' })",
    'token === expected',
    'tokens.map((token) => token.length)',
  ])('leaves %s as it is', (command) => {
    expect(redactCommand(command)).toBe(command);
  });

  // A session's input reaches this in chunks up to the line limit (64 KiB): quadratic work would freeze the service.
  it.each([
    ['one long word', 'x'.repeat(65_536)],
    ['an unclosed string', `"${'x'.repeat(65_535)}`],
    ['a secret key before an unclosed string', `password: '${'x'.repeat(65_520)}`],
    ['dashed JWT-like words', 'eyJ-'.repeat(16_384)],
    ['keys without values', 'token '.repeat(10_922)],
    ['pairs without end', 'a:'.repeat(32_768)],
  ])('redacts 64 KiB of %s in linear time', (_name, command) => {
    const started = performance.now();
    redactCommand(command);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
