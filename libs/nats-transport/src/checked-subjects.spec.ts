import { describe, expect, it } from '@jest/globals';
import { CheckedSubjects } from './checked-subjects.js';

describe('CheckedSubjects', () => {
  it('builds the subject of a call under the prefix, the same on every use', () => {
    const subjects = new CheckedSubjects('t42.');
    expect(subjects.rpcSubject('orders', 'place_v2')).toBe('t42.orders.place_v2');
    expect(subjects.rpcSubject('orders', 'place_v2')).toBe('t42.orders.place_v2');
    expect(subjects.rpcSubject('orders', 'cancel')).toBe('t42.orders.cancel');
    expect(new CheckedSubjects('').rpcSubject('a', 'b')).toBe('a.b');
  });

  it.each([
    ['a dot', 'orders.admin', 'place'],
    ['a wildcard', 'orders', '*'],
    ['a space', 'orders', 'pla ce'],
    ['an empty name', '', 'place'],
    ['a line break', 'orders', 'place\r\nPUB x 1'],
    ['not a string', 42 as unknown as string, 'place'],
  ])('refuses a call name with %s, before and after valid names are kept', (_name, service, method) => {
    const subjects = new CheckedSubjects('p.');
    expect(subjects.rpcSubject(service, method)).toBeUndefined();
    subjects.rpcSubject('orders', 'place');
    expect(subjects.rpcSubject(service, method)).toBeUndefined();
    expect(subjects.rpcSubject(service, method)).toBeUndefined();
  });

  it('keeps names that are also object keys apart from the map itself', () => {
    const subjects = new CheckedSubjects('p.');
    expect(subjects.rpcSubject('__proto__', 'constructor')).toBe('p.__proto__.constructor');
    expect(subjects.rpcSubject('constructor', '__proto__')).toBe('p.constructor.__proto__');
    expect(subjects.eventSubject('__proto__')).toBe('p.__proto__');
  });

  it('builds an event subject under the prefix and refuses wildcards and empty tokens', () => {
    const subjects = new CheckedSubjects('p.');
    expect(subjects.eventSubject('order.placed')).toBe('p.order.placed');
    expect(subjects.eventSubject('order.placed')).toBe('p.order.placed');
    for (const bad of ['order.*', 'order.>', 'order..placed', '', 'order placed']) expect(subjects.eventSubject(bad)).toBeUndefined();
  });

  it('answers past the names it keeps, checking each still', () => {
    const subjects = new CheckedSubjects('p.');
    for (let i = 0; i < 3000; i += 1) {
      expect(subjects.rpcSubject(`s${i % 7}`, `m${i}`)).toBe(`p.s${i % 7}.m${i}`);
      expect(subjects.eventSubject(`e.${i}`)).toBe(`p.e.${i}`);
    }
    expect(subjects.rpcSubject('s1', 'bad.name')).toBeUndefined();
    expect(subjects.eventSubject('e.*')).toBeUndefined();
  });
});
