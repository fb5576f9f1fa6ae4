import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { TransportError } from '../errors/transport.error.js';
import type { NormalizedNatsTransportOptions } from '../interfaces/nats-transport-options.interface.js';
import { MESSAGES } from '../nats-transport.messages.js';
import { subjectCovers } from '../subjects.js';

const ATTEMPTS = 5;

/** The stream name for a subject prefix: stream names take no dots, so they become `_`. */
export function durableStreamName(subjectPrefix: string, stream: string): string {
  return `${subjectPrefix.replaceAll('.', '_')}${stream}`;
}

/**
 * The stream's subjects after adding `wanted`: a subject already covered by another is not
 * added, and subjects the new one covers are replaced by it (a stream may not hold overlaps).
 */
export function mergeSubjects(existing: string[], wanted: string[]): string[] {
  let merged = [...existing];
  for (const subject of wanted) {
    if (merged.some((other) => subjectCovers(other, subject))) continue;
    merged = merged.filter((other) => !subjectCovers(subject, other));
    merged.push(subject);
  }
  return merged;
}

/** Where durable events of one environment are stored, and how. */
export interface DurableStreamSettings {
  name: string;
  maxAgeMs: number;
  /** Copies kept on a cluster; only applies when the stream is created. */
  replicas: number;
}

/** The shared stream of the transport's options: its prefixed name, age limit and replicas. */
export function durableStreamSettings(options: NormalizedNatsTransportOptions): DurableStreamSettings {
  return {
    name: durableStreamName(options.subjectPrefix, options.durableStream),
    maxAgeMs: options.durableMaxAgeMs,
    replicas: options.durableReplicas,
  };
}

/**
 * Creates the stream, or adds the missing subjects to it. Services of one environment share
 * the stream and may update it at the same moment, so the result is read back and retried.
 */
export async function ensureDurableStream(jsm: JetStreamManager, stream: DurableStreamSettings, subjects: string[]): Promise<void> {
  const { name, maxAgeMs, replicas } = stream;
  let lastError: unknown;
  // A failed add or update (another service won the race) is read back on the next round.
  const remember = (error: unknown) => {
    lastError = error;
  };
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const current = await streamSubjects(jsm, name);
    if (current === undefined) {
      const config = {
        name,
        subjects: mergeSubjects([], subjects),
        retention: RetentionPolicy.Limits,
        max_age: maxAgeMs * 1_000_000,
        num_replicas: replicas,
      };
      await jsm.streams.add(config).catch(remember);
      continue;
    }
    const merged = mergeSubjects(current, subjects);
    if (merged.length === current.length && merged.every((s) => current.includes(s))) return;
    await jsm.streams.update(name, { subjects: merged }).catch(remember);
  }
  throw new TransportError(MESSAGES.streamNotReady(name, subjects), { cause: lastError });
}

async function streamSubjects(jsm: JetStreamManager, name: string): Promise<string[] | undefined> {
  try {
    return (await jsm.streams.info(name)).config.subjects ?? [];
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw error;
  }
}
