import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { CorrelationContext } from './correlation.context.js';
import { CorrelationLogger } from './correlation.logger.js';

function captureStdout(): string[] {
  const out: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    out.push(String(chunk));
    return true;
  });
  return out;
}

describe('CorrelationLogger', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('prints the correlation ID on a text line', () => {
    const out = captureStdout();
    CorrelationContext.run('cid-7', () => new CorrelationLogger('Orders', { colors: false }).log('created'));
    expect(out.join('')).toMatch(/\[Orders\] \[cid=cid-7\] created/);
  });

  it('adds correlationId to a JSON line', () => {
    const out = captureStdout();
    CorrelationContext.run('cid-8', () => new CorrelationLogger('Orders', { json: true }).log('created'));
    expect(JSON.parse(out.join(''))).toMatchObject({ context: 'Orders', message: 'created', correlationId: 'cid-8' });
  });

  it('shows control characters of a message escaped, so a value from a caller can neither forge a line nor drive a terminal', () => {
    const out = captureStdout();
    // A field name sent by a caller, or a NATS subject (nats-server takes ESC and BEL in subjects).
    new CorrelationLogger('SecureRepository', { colors: false }).warn('refused a suspicious field name on Student: x\n[Nest] 1  - LOG [Auth] admin logged in\r\u001b]0;pwned\u0007\u009b2J');
    const text = out.join('');
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(text).toContain('x\\n[Nest] 1  - LOG [Auth] admin logged in\\r\\u001b]0;pwned\\u0007\\u009b2J');
  });

  it('escapes control characters of a stack trace but keeps its lines', () => {
    const errors: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      errors.push(String(chunk));
      return true;
    });
    captureStdout();
    new CorrelationLogger('Nats', { colors: false }).error('handler failed', 'MalformedPayloadError: payload is not valid JSON: audit.\u001b[31m\n    at decode (codec.ts:1:2)');
    expect(errors.at(-1)).toBe('MalformedPayloadError: payload is not valid JSON: audit.\\u001b[31m\n    at decode (codec.ts:1:2)\n');
  });

  it('prints no ID outside a request', () => {
    const out = captureStdout();
    new CorrelationLogger('Boot', { colors: false }).log('ready');
    expect(out.join('')).not.toContain('cid=');
  });
});
