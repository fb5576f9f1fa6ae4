import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DatabaseFaultLog } from './database-fault.log.js';

describe('DatabaseFaultLog', () => {
  let now: number;
  let errors: jest.SpiedFunction<Logger['error']>;

  beforeEach(() => {
    now = 1_000_000;
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  const log = () => new DatabaseFaultLog(10_000, () => now);
  const message = (suppressed: number) => `database unavailable (${suppressed} suppressed)`;

  describe('report', () => {
    it('logs the first of a burst of 20 and counts the rest', () => {
      const faults = log();
      for (let i = 0; i < 20; i += 1) {
        faults.report('unavailable', message);
        now += 100;
      }
      expect(errors.mock.calls).toEqual([['database unavailable (0 suppressed)']]);
    });

    it('logs again once the window passed, with the count of those it kept quiet', () => {
      const faults = log();
      for (let i = 0; i < 20; i += 1) faults.report('unavailable', message);
      now += 10_000;
      faults.report('unavailable', message);
      expect(errors.mock.calls).toEqual([['database unavailable (0 suppressed)'], ['database unavailable (19 suppressed)']]);
    });

    it('keeps a window per kind of fault', () => {
      const faults = log();
      faults.report('unavailable', () => 'down');
      faults.report('timeout:lock', () => 'locked');
      faults.report('unavailable', () => 'down');
      expect(errors.mock.calls).toEqual([['down'], ['locked']]);
    });
  });
});
