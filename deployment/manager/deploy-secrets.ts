import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A secret of the deployment, kept in its state folder (owner-only) so every instance and every
 * restart share it: read when it exists, made once when it does not. Never printed.
 */
export async function deploymentSecret(dir: string, name: string, bytes: number): Promise<string> {
  const file = join(dir, name);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined && existing.trim() !== '') return existing.trim();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
