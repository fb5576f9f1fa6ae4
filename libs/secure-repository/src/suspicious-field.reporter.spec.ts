import { DebugLogger, normalizeDebugLoggerOptions } from '@cliffracer/debug-logger';
import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DatabaseFaultLog } from './database-fault.log.js';
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

  it('warns once per 10 s per entity, then with how many more came', () => {
    let now = 0;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const report = suspiciousFieldReporter(undefined, new DatabaseFaultLog(10_000, () => now, 'warn'));
    for (let i = 0; i < 10_000; i++) report('Order', `id${i} OR 1=1`);
    report('Student', 'name;--');
    now = 10_000;
    report('Order', 'x; DROP TABLE orders');
    expect(warn.mock.calls.map(([line]) => line)).toEqual([
      'refused a suspicious field name on Order: id0 OR 1=1',
      'refused a suspicious field name on Student: name;--',
      'refused a suspicious field name on Order: x; DROP TABLE orders; 9999 more since the last report',
    ]);
    warn.mockRestore();
  });
});
