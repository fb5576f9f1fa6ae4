import { describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import { normalizeHttpFrontDoorOptions } from './http-front-door.options.js';

describe('normalizeHttpFrontDoorOptions', () => {
  it('gives readiness checks a one-second limit by default', () => {
    expect(normalizeHttpFrontDoorOptions({ service: 'orders' })).toEqual({ service: 'orders', databaseTimeoutMs: 1000, natsTimeoutMs: 1000 });
  });

  it('keeps the instance and the database check given', () => {
    const pingDatabase = async () => undefined;
    expect(normalizeHttpFrontDoorOptions({ service: 'orders', instance: 'orders-1', pingDatabase, databaseTimeoutMs: 250 })).toEqual({
      service: 'orders',
      instance: 'orders-1',
      pingDatabase,
      databaseTimeoutMs: 250,
      natsTimeoutMs: 1000,
    });
  });

  it.each([
    [{ service: '' }, 'service must be a non-empty string'],
    [{ service: 'orders', databaseTimeoutMs: 0 }, 'databaseTimeoutMs must be a whole number of milliseconds from 1 to 60000, got 0'],
    [{ service: 'orders', natsTimeoutMs: 1.5 }, 'natsTimeoutMs must be a whole number of milliseconds from 1 to 60000, got 1.5'],
    [{ service: 'orders', pingDatabase: 'SELECT 1' }, 'pingDatabase must be a function'],
  ])('refuses %j at boot', (options, reason) => {
    expect(() => normalizeHttpFrontDoorOptions(options as never)).toThrow(InvalidOptionsError);
    expect(() => normalizeHttpFrontDoorOptions(options as never)).toThrow(`invalid HttpFrontDoor options: ${reason}`);
  });
});
