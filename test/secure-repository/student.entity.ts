import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A table for the repository tests. */
@Entity({ name: 'students' })
export class Student {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'int' })
  grade!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  email!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A second table, reached through a transaction. */
@Entity({ name: 'enrolments' })
export class Enrolment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  studentId!: number;

  @Column({ type: 'varchar', length: 100 })
  course!: string;
}

/** Not registered with forFeature: off the whitelist. */
@Entity({ name: 'secrets' })
export class Secret {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar' })
  value!: string;
}

/** Columns of every checked kind, keyed by a generated UUID. */
@Entity({ name: 'badges' })
export class Badge {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'smallint' })
  level!: number;

  @Column({ type: 'bigint', default: '0' })
  points!: string;

  @Column({ type: 'varchar', length: 8 })
  code!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'uuid', nullable: true })
  ownerRef!: string | null;
}
