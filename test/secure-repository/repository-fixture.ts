import { DatabaseConnection, getSecureRepositoryToken, SecureRepository, SecureRepositoryModule, type SecureRepositoryModuleOptions } from '@cliffracer/secure-repository';
import { Test, type TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Badge, Enrolment, Student } from './student.entity.js';

/** The real server of the machine, or `DATABASE_URL`. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A Nest module with the repositories of the test entities, over `options`. */
export interface RepositoryFixture {
  moduleRef: TestingModule;
  students: SecureRepository<Student>;
  enrolments: SecureRepository<Enrolment>;
  badges: SecureRepository<Badge>;
  connection: DatabaseConnection;
  /** The schema-qualified name of a table, for `raw`. */
  table(name: string): string;
  /** Runs SQL directly, to check what the repository stored. */
  raw(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function createRepositoryFixture(options: SecureRepositoryModuleOptions): Promise<RepositoryFixture> {
  const moduleRef = await Test.createTestingModule({
    imports: [SecureRepositoryModule.forRoot({ synchronize: true, ...options }), SecureRepositoryModule.forFeature([Student, Enrolment, Badge])],
  }).compile();
  await moduleRef.init();
  const connection = moduleRef.get(DatabaseConnection);
  const source = await connection.dataSource();
  return {
    moduleRef,
    connection,
    students: moduleRef.get(getSecureRepositoryToken(Student)),
    enrolments: moduleRef.get(getSecureRepositoryToken(Enrolment)),
    badges: moduleRef.get(getSecureRepositoryToken(Badge)),
    table: (name) => `"${connection.options.schema}"."${name}"`,
    raw: (sql, params) => source.query(sql, params),
    close: () => moduleRef.close(),
  };
}

/** A schema of its own on the real server, dropped by the returned function. */
export async function ownSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `sr_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}
