// SecureRepository against a plain TypeORM repository on the same table, and batched against
// one-by-one inserts, on the PostgreSQL at DATABASE_URL (default: the local server) in a
// schema of its own that is dropped afterwards.
import { DatabaseConnection, getSecureRepositoryToken, type SecureRepository, SecureRepositoryModule } from '@cliffracer/secure-repository';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { Column, Entity, MoreThanOrEqual, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'bench_rows' })
class BenchRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'int' })
  grade!: number;

  @Column({ type: 'boolean' })
  active!: boolean;
}

/** One comparison: operations per second of the baseline and of the measured way. */
export interface RepositoryResult {
  workload: string;
  baseline: string;
  baselineOps: number;
  measured: string;
  measuredOps: number;
}

const ROWS = 10_000;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 3000);
/** Alternating windows per comparison: short ones, as one slow moment of the database sways a query rate a lot. */
const ROUNDS = Number(process.env.BENCH_REPOSITORY_ROUNDS ?? 20);
const row = (i: number) => ({ name: `row ${i}`, grade: i % 100, active: i % 3 !== 0 });

async function opsPerSecond(count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await run(i);
  return (count / (performance.now() - started)) * 1000;
}

/**
 * Operations per second of `baseline` and `measured`, each warmed first, then run in
 * `ROUNDS` alternating windows (the order flipping each round): a drift of the machine or of
 * the database (autovacuum, a checkpoint) then weighs on both alike.
 */
async function compareOps(baseline: (i: number) => Promise<unknown>, measured: (i: number) => Promise<unknown>): Promise<[number, number]> {
  const runs = [baseline, measured];
  for (const run of runs) await opsPerSecond(300, run);
  const perWindow = Math.ceil(QUERIES / ROUNDS);
  const elapsed = [0, 0];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const k of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const started = performance.now();
      for (let i = 0; i < perWindow; i += 1) await runs[k]!(round * perWindow + i);
      elapsed[k]! += performance.now() - started;
    }
  }
  const ops = (k: number) => ((perWindow * ROUNDS) / elapsed[k]!) * 1000;
  return [ops(0), ops(1)];
}

export async function measureRepository(url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'): Promise<RepositoryResult[]> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const moduleRef = await Test.createTestingModule({
    imports: [SecureRepositoryModule.forRoot({ url, schema, synchronize: true }), SecureRepositoryModule.forFeature([BenchRow])],
  }).compile();
  await moduleRef.init();
  const connection = moduleRef.get(DatabaseConnection);
  const source = await connection.dataSource();
  const secure = moduleRef.get<SecureRepository<BenchRow>>(getSecureRepositoryToken(BenchRow));
  const plain = source.getRepository(BenchRow);
  try {
    process.stderr.write(`repository: ${ROWS} inserts one by one...\n`);
    const oneByOne = await opsPerSecond(ROWS, (i) => plain.insert(row(i)));
    process.stderr.write(`repository: ${ROWS} inserts in batches...\n`);
    const started = performance.now();
    await secure.createMany(Array.from({ length: ROWS }, (_, i) => row(i)));
    const batched = (ROWS / (performance.now() - started)) * 1000;
    // Fresh statistics now, so that autovacuum does not change the plans halfway through.
    await source.query(`ANALYZE "${schema}"."bench_rows"`);
    const ids = (await plain.find({ select: { id: true }, take: 1000 })).map((r) => r.id);
    const id = (i: number) => ids[i % ids.length]!;
    process.stderr.write('repository: find by id...\n');
    const [plainById, secureById] = await compareOps(
      (i) => plain.findOneBy({ id: id(i) }),
      (i) => secure.findById(id(i)),
    );
    process.stderr.write('repository: filtered queries...\n');
    const [plainFiltered, secureFiltered] = await compareOps(
      (i) => plain.find({ where: { grade: MoreThanOrEqual(i % 90), active: true }, order: { id: 'DESC' }, take: 20 }),
      (i) => secure.findMany({ where: { grade: { gte: i % 90 }, active: true }, orderBy: { id: 'DESC' }, limit: 20 }),
    );
    return [
      { workload: 'find by id', baseline: 'TypeORM repository', baselineOps: plainById, measured: 'SecureRepository', measuredOps: secureById },
      { workload: 'filtered, sorted page of 20', baseline: 'TypeORM repository', baselineOps: plainFiltered, measured: 'SecureRepository', measuredOps: secureFiltered },
      { workload: `insert ${ROWS} rows`, baseline: 'one by one', baselineOps: oneByOne, measured: 'createMany (batched)', measuredOps: batched },
    ];
  } finally {
    await source.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await moduleRef.close();
  }
}
