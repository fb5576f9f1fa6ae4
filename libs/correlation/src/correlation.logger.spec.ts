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

  it('prints no ID outside a request', () => {
    const out = captureStdout();
    new CorrelationLogger('Boot', { colors: false }).log('ready');
    expect(out.join('')).not.toContain('cid=');
  });
});
