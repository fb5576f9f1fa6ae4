import { describe, expect, it } from '@jest/globals';
import { PendingReplies } from './pending-replies.js';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('PendingReplies', () => {
  it('settles as the request does and forgets it', async () => {
    const pending = new PendingReplies();
    const ok = deferred<number>();
    const failing = deferred<number>();
    const answered = pending.wait(ok.promise, () => new Error('lost'));
    const refused = pending.wait(failing.promise, () => new Error('lost'));
    expect(pending.size).toBe(2);
    ok.resolve(7);
    failing.reject(new Error('timeout'));
    await expect(answered).resolves.toBe(7);
    await expect(refused).rejects.toThrow('timeout');
    expect(pending.size).toBe(0);
  });

  it('fails every waiting request at once when abandoned, and ignores their later outcome', async () => {
    const pending = new PendingReplies();
    const first = deferred<number>();
    const second = deferred<number>();
    const waits = [pending.wait(first.promise, () => new Error('lost a')), pending.wait(second.promise, () => new Error('lost b'))];
    pending.abandonAll();
    await expect(waits[0]).rejects.toThrow('lost a');
    await expect(waits[1]).rejects.toThrow('lost b');
    first.resolve(1);
    second.reject(new Error('late timeout'));
    expect(pending.size).toBe(0);
  });
});
