import { afterAll, describe, expect, it } from '@jest/globals';
import { DatabaseConnection, getSecureRepositoryToken, type SecureRepository, SecureRepositoryModule } from '@cliffracer/secure-repository';
import { Test, type TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Column, Entity, type MigrationInterface, PrimaryColumn, type QueryRunner } from 'typeorm';
import { POSTGRES_URL } from './repository-fixture.js';

@Entity({ name: 'notes' })
class Note {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id!: string;

  @Column({ type: 'text' })
  body!: string;
}

/** Unqualified names, as a service's migrations are written. */
class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "notes" ("id" varchar(16) PRIMARY KEY, "body" text NOT NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "notes"');
  }
}

async function open(options: { url?: string; embeddedDir?: string; schema: string }): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      SecureRepositoryModule.forRoot({ ...options, migrations: [CreateNotes1700000000000], migrationsRun: true }),
      SecureRepositoryModule.forFeature([Note]),
    ],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

/** Where a table is: in `schema`, in public, or nowhere. */
async function placeOf(moduleRef: TestingModule, schema: string): Promise<{ own: boolean; public: boolean }> {
  const source = await moduleRef.get(DatabaseConnection).dataSource();
  const [row] = (await source.query('SELECT to_regclass($1) IS NOT NULL AS own, to_regclass($2) IS NOT NULL AS public', [`"${schema}"."notes"`, 'public.notes'])) as Array<{
    own: boolean;
    public: boolean;
  }>;
  return row!;
}

describe('SecureRepository: a schema of its own', () => {
  const schemas: string[] = [];

  afterAll(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it.each([
    ['the PostgreSQL server', { url: POSTGRES_URL }],
    ['the embedded Postgres', { embeddedDir: 'memory' }],
  ])('creates the schema on %s and runs unqualified migrations inside it', async (_name, target) => {
    const schema = `mig_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    const moduleRef = await open({ ...target, schema });
    try {
      expect(await placeOf(moduleRef, schema)).toEqual({ own: true, public: false });
      const notes = moduleRef.get<SecureRepository<Note>>(getSecureRepositoryToken(Note));
      await notes.create({ id: 'n1', body: "it's kept" });
      expect(await notes.findById('n1')).toEqual({ id: 'n1', body: "it's kept" });
    } finally {
      await moduleRef.close();
    }
  });

  it('lets instances of one service start together on the server: one migrates, the others wait for it', async () => {
    const schema = `mig_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    const instances = await Promise.all([1, 2, 3].map(() => open({ url: POSTGRES_URL, schema })));
    try {
      const source = await instances[0]!.get(DatabaseConnection).dataSource();
      expect(await source.query(`SELECT "name" FROM "${schema}"."migrations"`)).toEqual([{ name: 'CreateNotes1700000000000' }]);
      expect(await placeOf(instances[2]!, schema)).toEqual({ own: true, public: false });
    } finally {
      for (const instance of instances) await instance.close();
    }
  });
});
