import { randomBytes } from 'node:crypto';

/** A subject prefix no other test run uses (`t<time><random>`), so runs never see each other. */
export function uniquePrefix(): string {
  return `t${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}
