import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { InFlightRegistry } from './in-flight.registry.js';

describe('InFlightRegistry', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('lists running handlers with their correlation ID', () => {
    const registry = new InFlightRegistry();
    registry.begin('orders.get', 'c1');
    expect(registry.list()).toEqual([expect.objectContaining({ subject: 'orders.get', correlationId: 'c1' })]);
  });

  it('resolves whenIdle(true) once the last handler ends', async () => {
    const registry = new InFlightRegistry();
    const a = registry.begin('s', 'a');
    const b = registry.begin('s', 'b');
    const idle = registry.whenIdle(1000);
    registry.end(a);
    registry.end(b);
    await expect(idle).resolves.toBe(true);
  });

  it('resolves whenIdle(false) when the grace period passes first', async () => {
    const registry = new InFlightRegistry();
    registry.begin('s', 'a');
    const idle = registry.whenIdle(1000);
    jest.advanceTimersByTime(1000);
    await expect(idle).resolves.toBe(false);
  });
});
