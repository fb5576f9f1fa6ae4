import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { UnauthorizedError } from '@cliffracer/auth';
import { LOGIN_WINDOW_MS, MAX_LOGIN_ATTEMPTS, UserStore } from './user.store.js';

describe('UserStore', () => {
  let store: UserStore;
  let now = 1_000_000;

  beforeAll(async () => {
    store = new UserStore();
    await store.onModuleInit();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const clock = () => jest.spyOn(Date, 'now').mockImplementation(() => now);

  describe('authenticate', () => {
    it('refuses a username past its attempts within the window, even with the right password', async () => {
      clock();
      for (let i = 0; i < MAX_LOGIN_ATTEMPTS; i++) await expect(store.authenticate('ann', 'guess')).rejects.toThrow('unauthorized: wrong username or password');
      await expect(store.authenticate('ann', 'ann-password')).rejects.toThrow(new UnauthorizedError('too many login attempts, try again later'));
    });

    it('lets the user in once the window has passed', async () => {
      now += LOGIN_WINDOW_MS;
      clock();
      await expect(store.authenticate('ann', 'ann-password')).resolves.toMatchObject({ sub: 'ann' });
    });

    it('bounds concurrent guesses of one username, known or not', async () => {
      clock();
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => store.authenticate('nobody', 'guess')));
      const reasons = outcomes.map((o) => (o as PromiseRejectedResult).reason as UnauthorizedError);
      expect(reasons.filter((r) => r.reason === 'wrong username or password')).toHaveLength(MAX_LOGIN_ATTEMPTS);
      expect(reasons.filter((r) => r.reason === 'too many login attempts, try again later')).toHaveLength(20 - MAX_LOGIN_ATTEMPTS);
    });

    it('starts the count again after a successful login', async () => {
      now += LOGIN_WINDOW_MS;
      clock();
      for (let i = 0; i < MAX_LOGIN_ATTEMPTS - 1; i++) await expect(store.authenticate('bob', 'guess')).rejects.toThrow(UnauthorizedError);
      await expect(store.authenticate('bob', 'bob-password')).resolves.toMatchObject({ sub: 'bob' });
      await expect(store.authenticate('bob', 'guess')).rejects.toThrow('unauthorized: wrong username or password');
    });
  });
});
