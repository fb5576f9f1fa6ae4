import { DebugLogger, normalizeDebugLoggerOptions } from '@cliffracer/debug-logger';
import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { suspiciousFieldReporter } from './suspicious-field.reporter.js';

describe('suspiciousFieldReporter', () => {
  it('warns, and writes the field to database and stress in the debug log', () => {
    const debug = new DebugLogger(normalizeDebugLoggerOptions({ enabled: false }, {}));
    const log = jest.spyOn(debug, 'log').mockImplementation(() => undefined);
    const stress = jest.spyOn(debug, 'stress').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    suspiciousFieldReporter(debug)('Order', "id; DROP TABLE orders");
    expect(warn).toHaveBeenCalledWith('refused a suspicious field name on Order: id; DROP TABLE orders');
    expect(log).toHaveBeenCalledWith('database', 'query.suspicious_field', { entity: 'Order', field: 'id; DROP TABLE orders' });
    expect(stress).toHaveBeenCalledWith('suspicious_query', 'warning', { entity: 'Order', field: 'id; DROP TABLE orders' });
    warn.mockRestore();
  });
});
