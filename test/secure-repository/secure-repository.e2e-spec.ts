import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SecureQueryError } from '@cliffracer/secure-repository';
import { Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepositoryFixture, ownSchema, POSTGRES_URL, type RepositoryFixture } from './repository-fixture.js';
import { Enrolment, Secret } from './student.entity.js';

const HOSTILE_NAMES = ["O'Brien", "Robert'); DROP TABLE students;--", 'x" OR "1"="1', "'; DELETE FROM students; --", '\\\'; SELECT pg_sleep(1); --', '%_%'];

/** The same behaviour on the machine's PostgreSQL and on the embedded default. */
const databases: Array<[string, () => Promise<{ fixture: RepositoryFixture; cleanup: () => Promise<void> }>]> = [
  [
    'PostgreSQL server',
    async () => {
      const { schema, drop } = await ownSchema();
      const fixture = await createRepositoryFixture({ url: POSTGRES_URL, schema, batchSize: 1000 });
      return { fixture, cleanup: drop };
    },
  ],
  [
    'embedded Postgres',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pglite-'));
      const fixture = await createRepositoryFixture({ embeddedDir: dir, batchSize: 1000 });
      return { fixture, cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
];

describe.each(databases)('SecureRepository on %s', (_name, setup) => {
  let db: RepositoryFixture;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ fixture: db, cleanup } = await setup());
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });

  const tableIntact = async () => {
    const [{ exists }] = (await db.raw('SELECT to_regclass($1) IS NOT NULL AS exists', [db.table('students')])) as Array<{ exists: boolean }>;
    return exists;
  };

  describe('CRUD', () => {
    it('creates a row and finds it by id, by filter and in a page', async () => {
      const ann = await db.students.create({ name: 'Ann', grade: 3, email: 'ann@example.com' });
      expect(ann.id).toEqual(expect.any(Number));
      expect(await db.students.findById(ann.id)).toMatchObject({ name: 'Ann', grade: 3, active: true });
      expect(await db.students.findOne({ email: 'ann@example.com' })).toMatchObject({ id: ann.id });
      const page = await db.students.findMany({ where: { grade: { gte: 3 }, name: { like: 'A%' } }, orderBy: { id: 'DESC' }, limit: 5 });
      expect(page.map((s) => s.id)).toContain(ann.id);
    });

    it('counts, updates, updates many and deletes', async () => {
      const a = await db.students.create({ name: 'Count A', grade: 7 });
      const b = await db.students.create({ name: 'Count B', grade: 7 });
      expect(await db.students.count({ grade: 7 })).toBe(2);
      expect(await db.students.update(a.id, { grade: 8 })).toMatchObject({ id: a.id, grade: 8 });
      expect(await db.students.update(-1, { grade: 8 })).toBeNull();
      expect(await db.students.updateMany({ grade: { in: [7, 8] } }, { active: false })).toBe(2);
      expect(await db.students.count({ active: false, id: { in: [a.id, b.id] } })).toBe(2);
      expect(await db.students.delete(b.id)).toBe(true);
      expect(await db.students.delete(b.id)).toBe(false);
      expect(await db.students.findById(b.id)).toBeNull();
    });

    it('finds rows by null and not-null through isNull', async () => {
      const none = await db.students.create({ name: 'No Mail', grade: 11 });
      const some = await db.students.create({ name: 'Mail', grade: 11, email: 'm@example.com' });
      expect((await db.students.findMany({ where: { grade: 11, email: { isNull: true } } })).map((s) => s.id)).toEqual([none.id]);
      expect((await db.students.findMany({ where: { grade: 11, email: { isNull: false } } })).map((s) => s.id)).toEqual([some.id]);
    });

    it('pages with limit and offset in the order asked', async () => {
      await db.students.createMany([1, 2, 3, 4, 5].map((n) => ({ name: `Page ${n}`, grade: 20 + n })));
      const page = await db.students.findMany({ where: { name: { like: 'Page %' } }, orderBy: { grade: 'desc' }, limit: 2, offset: 1 });
      expect(page.map((s) => s.grade)).toEqual([24, 23]);
    });
  });

  describe('createMany', () => {
    it('inserts rows in batches and returns them with their ids', async () => {
      const rows = Array.from({ length: 2500 }, (_, i) => ({ name: `Batch ${i}`, grade: 100 }));
      const created = await db.students.createMany(rows);
      expect(created).toHaveLength(2500);
      expect(new Set(created.map((s) => s.id)).size).toBe(2500);
      expect(await db.students.count({ grade: 100 })).toBe(2500);
    });

    it('inserts nothing when one row is refused', async () => {
      await expect(db.students.createMany([{ name: 'Fine', grade: 101 }, { name: 'Bad', grade: 101, nope: 1 } as never])).rejects.toThrow(SecureQueryError);
      expect(await db.students.count({ grade: 101 })).toBe(0);
    });
  });

  describe('transaction', () => {
    it('commits when the work resolves, across whitelisted entities', async () => {
      const id = await db.students.transaction(async (students, tx) => {
        const s = await students.create({ name: 'Tx Ok', grade: 30 });
        await tx.repository(Enrolment).create({ studentId: s.id, course: 'maths' });
        return s.id;
      });
      expect(await db.students.findById(id)).not.toBeNull();
      expect(await db.enrolments.count({ studentId: id })).toBe(1);
    });

    it('rolls everything back when the work throws', async () => {
      await expect(
        db.students.transaction(async (students) => {
          await students.create({ name: 'Tx Rolled Back', grade: 31 });
          throw new Error('payment failed');
        }),
      ).rejects.toThrow('payment failed');
      expect(await db.students.count({ name: 'Tx Rolled Back' })).toBe(0);
    });

    it('refuses an entity that is not on the whitelist', async () => {
      await expect(db.students.transaction(async (_students, tx) => tx.repository(Secret).count())).rejects.toThrow(/not registered/);
    });

    it('loses no concurrent change when each transaction reads its row locked', async () => {
      const { id } = await db.students.create({ name: 'Counter', grade: 0 });
      const bump = () =>
        db.students.transaction(async (students) => {
          const row = await students.findById(id, { lock: 'update' });
          await new Promise((resolve) => setTimeout(resolve, 5));
          await students.update(id, { grade: row!.grade + 1 });
        });
      await Promise.all(Array.from({ length: 8 }, bump));
      expect((await db.students.findById(id))!.grade).toBe(8);
    });

    it('refuses a row lock outside a transaction', async () => {
      await expect(db.students.findById(1, { lock: 'update' })).rejects.toThrow(SecureQueryError);
      await expect(db.students.findById(1, { lock: 'update' })).rejects.toThrow("refused query on Student: lock needs a transaction: lock rows inside transaction()");
    });
  });

  describe('injection', () => {
    it.each(HOSTILE_NAMES)('stores %j verbatim and finds it by value', async (name) => {
      const created = await db.students.create({ name, grade: 40, email: name });
      expect((await db.students.findById(created.id))?.name).toBe(name);
      expect((await db.students.findMany({ where: { name } })).map((s) => s.id)).toEqual([created.id]);
      const [row] = await db.raw(`SELECT name, email FROM ${db.table('students')} WHERE id = $1`, [created.id]);
      expect(row).toEqual({ name, email: name });
      expect(await tableIntact()).toBe(true);
    });

    it('matches a hostile like pattern only as a pattern', async () => {
      const before = await db.students.count();
      expect(await db.students.count({ name: { like: "%'; DROP TABLE students; --" } })).toBe(0);
      expect(await db.students.count()).toBe(before);
    });

    const refusals: Array<[string, (r: RepositoryFixture) => Promise<unknown>, RegExp]> = [
      ['a SQL fragment as a where field', (r) => r.students.findMany({ where: { 'name = name OR 1=1 --': 'x' } as never }), /is not a column \(in where\)/],
      ['a prototype key in where', (r) => r.students.findMany({ where: JSON.parse('{"__proto__": {"grade": 1}}') }), /"__proto__" is not a column/],
      ['constructor as a field', (r) => r.students.findOne({ constructor: 'x' } as never), /"constructor" is not a column/],
      ['an unknown operator', (r) => r.students.findMany({ where: { grade: { $where: '1=1' } } as never }), /is not an operator/],
      ['a raw SQL operator value', (r) => r.students.findMany({ where: { grade: { raw: '1 OR 1=1' } } as never }), /is not an operator/],
      ['a nested object as a value', (r) => r.students.findMany({ where: { name: { eq: { toString: 'x' } } } as never }), /must be a plain value/],
      ['an array as a value', (r) => r.students.findMany({ where: { name: ['a', 'b'] } as never }), /must be a plain value/],
      ['a null value', (r) => r.students.findMany({ where: { email: null } as never }), /would match everything/],
      ['an undefined value', (r) => r.students.findMany({ where: { email: undefined } }), /would match everything/],
      ['an empty in list', (r) => r.students.findMany({ where: { grade: { in: [] } } }), /list of 1 to 1000 values/],
      ['a SQL fragment as a sort field', (r) => r.students.findMany({ orderBy: { 'id; DROP TABLE students': 'ASC' } as never }), /is not a column \(in orderBy\)/],
      ['a SQL fragment as a sort direction', (r) => r.students.findMany({ orderBy: { id: 'ASC; DROP TABLE students' as never } }), /must be ASC or DESC/],
      ['a string limit', (r) => r.students.findMany({ limit: '10; DROP TABLE students' as never }), /limit must be a whole number/],
      ['a negative offset', (r) => r.students.findMany({ offset: -1 }), /offset must be a whole number/],
      ['a fractional limit', (r) => r.students.findMany({ limit: 1.5 }), /limit must be a whole number/],
      ['a limit past the maximum', (r) => r.students.findMany({ limit: 1_000_000 }), /limit must be a whole number from 1 to 1000/],
      ['an unknown findMany option', (r) => r.students.findMany({ select: ['password'] } as never), /is not a findMany option/],
      ['an unknown column in create', (r) => r.students.create({ name: 'x', grade: 1, isAdmin: true } as never), /"isAdmin" is not a column \(in create\)/],
      ['a prototype key in update', (r) => r.students.update(1, JSON.parse('{"__proto__": {"grade": 1}}')), /"__proto__" is not a column \(in update\)/],
      ['an object as an id', (r) => r.students.findById({ id: 1 }), /must be a plain value/],
      ['an update of every row', (r) => r.students.updateMany({}, { grade: 0 }), /must hold at least one condition/],
      ['null in a not-null column', (r) => r.students.create({ name: null as never, grade: 1 }), /is not nullable/],
    ];

    it.each(refusals)('refuses %s with a SecureQueryError, and the table is intact', async (_what, query, message) => {
      const before = await db.students.count();
      const failure = query(db);
      await expect(failure).rejects.toThrow(SecureQueryError);
      await expect(failure).rejects.toThrow(message);
      expect(await tableIntact()).toBe(true);
      expect(await db.students.count()).toBe(before);
    });

    // Once per 10 s per entity: the tests above sent Student such names already, none to Enrolment.
    it('logs a suspicious field name, once for a burst of them', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      for (let i = 0; i < 100; i++) {
        await expect(db.enrolments.findMany({ where: { [`course' OR '${i}'='${i}`]: 'x' } as never })).rejects.toThrow(SecureQueryError);
      }
      expect(warn.mock.calls.map(([line]) => line)).toEqual(["refused a suspicious field name on Enrolment: course' OR '0'='0"]);
      warn.mockRestore();
    });
  });
});
