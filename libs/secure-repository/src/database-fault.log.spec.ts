import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DatabaseFaultLog } from './database-fault.log.js';

describe('DatabaseFaultLog', () => {
  let now: number;
  let errors: jest.SpiedFunction<Logger['error']>;

  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000_000;
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    errors.mockRestore();
  });

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

    it('reports a burst that stops within its window when the window closes: its last fault, with the count of the others', () => {
      const faults = log();
      for (let i = 0; i < 20; i += 1) {
        faults.report('unavailable', (suppressed) => `fault ${i} (${suppressed} more)`);
        now += 100;
      }
      expect(errors.mock.calls).toEqual([['fault 0 (0 more)']]);
      jest.advanceTimersByTime(10_000 - 100);
      expect(errors.mock.calls).toEqual([['fault 0 (0 more)'], ['fault 19 (18 more)']]);
      // The count is told: the next fault opens a window of its own at once.
      faults.report('unavailable', (suppressed) => `later (${suppressed} more)`);
      expect(errors.mock.calls.at(-1)).toEqual(['later (0 more)']);
    });

    it('writes nothing more at the close of a window that counted nothing, or whose count a later fault told', () => {
      const faults = log();
      faults.report('unavailable', message);
      jest.advanceTimersByTime(20_000);
      faults.report('timeout:lock', message);
      faults.report('timeout:lock', message);
      now += 10_000;
      faults.report('timeout:lock', message);
      jest.advanceTimersByTime(20_000);
      expect(errors.mock.calls).toEqual([['database unavailable (0 suppressed)'], ['database unavailable (0 suppressed)'], ['database unavailable (1 suppressed)']]);
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
