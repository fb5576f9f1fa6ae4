import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SecureQueryError } from '@cliffracer/secure-repository';
import { Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepositoryFixture, ownSchema, POSTGRES_URL, type RepositoryFixture } from './repository-fixture.js';
import { Enrolment } from './student.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The same checks on the machine's PostgreSQL and on the embedded default. */
const databases: Array<[string, () => Promise<{ fixture: RepositoryFixture; cleanup: () => Promise<void> }>]> = [
  [
    'PostgreSQL server',
    async () => {
      const { schema, drop } = await ownSchema();
      const fixture = await createRepositoryFixture({ url: POSTGRES_URL, schema });
      return { fixture, cleanup: drop };
    },
  ],
  [
    'embedded Postgres',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pglite-'));
      const fixture = await createRepositoryFixture({ embeddedDir: dir });
      return { fixture, cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
];

describe.each(databases)('SecureRepository column checks on %s', (_name, setup) => {
  let db: RepositoryFixture;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ fixture: db, cleanup } = await setup());
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });

  describe('generated UUID keys', () => {
    it('creates a row keyed by a generated UUID and finds it by that id', async () => {
      const badge = await db.badges.create({ level: 1, code: 'gold' });
      expect(badge.id).toMatch(UUID);
      expect(await db.badges.findById(badge.id)).toMatchObject({ id: badge.id, level: 1, code: 'gold', points: '0' });
    });
  });

  describe('accepted values', () => {
    it('stores the ends of the smallint and bigint ranges', async () => {
      const low = await db.badges.create({ level: -32768, code: 'low', points: '-9223372036854775808' });
      const high = await db.badges.create({ level: 32767, code: 'high', points: 9223372036854775807n as never });
      expect(await db.badges.findById(low.id)).toMatchObject({ level: -32768, points: '-9223372036854775808' });
      expect(await db.badges.findById(high.id)).toMatchObject({ level: 32767, points: '9223372036854775807' });
    });

    it('counts the length of a string in characters, as the column does', async () => {
      const code = 'ab😀cdefg';
      expect(code.length).toBe(9);
      const badge = await db.badges.create({ level: 2, code, note: 'pair 😀 kept' });
      expect(await db.badges.findById(badge.id)).toMatchObject({ code, note: 'pair 😀 kept' });
    });

    it('accepts a whole number written as decimal digits for an integer column', async () => {
      const ann = await db.students.create({ name: 'Digits', grade: 61 });
      expect(await db.students.findOne({ id: String(ann.id) as never, grade: '61' as never })).toMatchObject({ id: ann.id });
    });
  });

  const refusals: Array<[string, (r: RepositoryFixture) => Promise<unknown>, RegExp]> = [
    ['SQL in an integer column', (r) => r.students.create({ name: 'x', grade: '1 OR 1=1' as never }), /on Student: grade must be a whole number from -2147483648 to 2147483647/],
    ['an exponent in an integer filter', (r) => r.students.findMany({ where: { grade: '1e3' as never } }), /on Student: grade must be a whole number/],
    ['a fraction in an integer update', (r) => r.students.update(1, { grade: 1.5 }), /on Student: grade must be a whole number/],
    ['a boolean in an integer filter', (r) => r.students.count({ grade: { gte: true as never } }), /on Student: grade.gte must be a whole number/],
    ['an int past its range', (r) => r.students.create({ name: 'x', grade: 2 ** 31 }), /grade must be a whole number from -2147483648 to 2147483647/],
    ['a smallint past its range', (r) => r.badges.create({ level: 32768, code: 'x' }), /level must be a whole number from -32768 to 32767/],
    ['a bigint past its range', (r) => r.badges.create({ level: 1, code: 'x', points: '9223372036854775808' }), /points must be a whole number from -9223372036854775808/],
    ['an unsafe number for a bigint', (r) => r.badges.create({ level: 1, code: 'x', points: 2 ** 63 as never }), /points must be a whole number/],
    ['SQL as an integer id', (r) => r.students.findById('1; DROP TABLE students'), /on Student: id must be a whole number/],
    ['an integer in an in list', (r) => r.students.findMany({ where: { grade: { in: [1, 'x' as never] } } }), /grade.in\[1\] must be a whole number/],
    ['a non-UUID for a uuid column', (r) => r.badges.findMany({ where: { ownerRef: 'not-a-uuid' } }), /on Badge: ownerRef must be a UUID/],
    ['a non-UUID id', (r) => r.badges.findById("' OR 1=1 --"), /on Badge: id must be a UUID/],
    ['a NUL byte in text', (r) => r.badges.create({ level: 1, code: 'x', note: 'a\u0000b' }), /on Badge: note must not hold a NUL character/],
    ['a lone surrogate in text', (r) => r.students.update(1, { name: 'bad \uD800 half' }), /on Student: name must not hold a lone UTF-16 surrogate/],
    ['a lone surrogate in a filter', (r) => r.students.count({ name: { like: '\uDC00%' } }), /name.like must not hold a lone UTF-16 surrogate/],
    ['a string past the column length', (r) => r.badges.create({ level: 1, code: 'ninechars' }), /on Badge: code must be at most 8 characters/],
    ['a boolean for a text column', (r) => r.students.create({ name: true as never, grade: 1 }), /on Student: name must be a string/],
    ['a number for a boolean column', (r) => r.students.count({ active: 1 as never }), /on Student: active must be true or false/],
    ['a like on an integer column', (r) => r.students.count({ grade: { like: '1%' as never } }), /grade.like must be a string pattern on a text column/],
  ];

  it.each(refusals)('refuses %s with a SecureQueryError before any SQL', async (_what, query, message) => {
    const source = await db.connection.dataSource();
    const runners = jest.spyOn(source, 'createQueryRunner');
    try {
      const failure = query(db);
      await expect(failure).rejects.toThrow(SecureQueryError);
      await expect(failure).rejects.toThrow(message);
      expect(runners).not.toHaveBeenCalled();
    } finally {
      runners.mockRestore();
    }
  });

  it('derives the checks once per entity, not per call or per transaction', async () => {
    const source = await db.connection.dataSource();
    await db.students.count({ grade: 1 });
    await db.students.transaction(async (_students, tx) => tx.repository(Enrolment).count({ studentId: 1 }));
    const derive = jest.spyOn(source.driver, 'normalizeType');
    try {
      for (let i = 0; i < 5; i += 1) await db.students.findMany({ where: { grade: i, name: { like: 'A%' } } });
      await db.students.transaction(async (students, tx) => {
        await students.update(1, { grade: 2 });
        await tx.repository(Enrolment).count({ studentId: 1 });
      });
      expect(derive).not.toHaveBeenCalled();
    } finally {
      derive.mockRestore();
    }
  });

  it('cuts a long field name in the message', async () => {
    const field = 'x'.repeat(100_000);
    const failure = db.students.findMany({ where: { [field]: 1 } as never });
    await expect(failure).rejects.toThrow(SecureQueryError);
    const error = (await failure.catch((e: unknown) => e)) as SecureQueryError;
    expect(error.message.length).toBeLessThan(200);
    expect(error.message).toContain(`"${'x'.repeat(40)}`);
    expect(error.message).toContain('…');
    expect(JSON.stringify(error.data).length).toBeLessThan(400);
  });

  it('maps a database error to a safe error that quotes no SQL and no value, logged once', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const { id } = await db.badges.create({ level: 3, code: 'dup' });
      const failure = db.badges.create({ id, level: 3, code: 'dup' });
      await expect(failure).rejects.toMatchObject({ name: 'DatabaseQueryError', code: 'CONFLICT', message: 'database refused the write on Badge: a row with this key or unique value exists' });
      const error = (await failure.catch((e: unknown) => e)) as Error;
      expect(error.message).not.toContain(id);
      expect(error.message).not.toMatch(/INSERT|badges|127\.0\.0\.1/);
      expect(errors).toHaveBeenCalledTimes(1);
    } finally {
      errors.mockRestore();
    }
  });
});
