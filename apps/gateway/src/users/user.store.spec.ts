import { beforeAll, describe, expect, it } from '@jest/globals';
import { UnauthorizedError } from '@cliffracer/auth';
import { UserStore } from './user.store.js';

describe('UserStore', () => {
  let store: UserStore;

  beforeAll(async () => {
    store = new UserStore();
    await store.onModuleInit();
  });

  describe('authenticate', () => {
    it('gives the user whose password matches, with roles and permissions', async () => {
      await expect(store.authenticate('ann', 'ann-password')).resolves.toEqual({ sub: 'ann', roles: ['customer'], permissions: ['orders:write', 'events:read'] });
    });

    it('refuses a wrong password and an unknown user with one error', async () => {
      await expect(store.authenticate('ann', 'guess')).rejects.toThrow(new UnauthorizedError('wrong username or password'));
      await expect(store.authenticate('nobody', 'ann-password')).rejects.toThrow(new UnauthorizedError('wrong username or password'));
    });

    it('does not count tries itself: the login doors limit them', async () => {
      for (let i = 0; i < 12; i++) await expect(store.authenticate('bob', 'guess')).rejects.toThrow(UnauthorizedError);
      await expect(store.authenticate('bob', 'bob-password')).resolves.toMatchObject({ sub: 'bob' });
    });
  });
});
