import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The semantic version pattern ADR-32 (and the `nats` CLI's schema check) holds versions to.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A version a service reports when neither the options nor a package.json give one. */
export const UNKNOWN_SERVICE_VERSION = '0.0.0';

/** True when `value` is a semantic version (`1.4.0`, `2.0.0-rc.1+build.5`). */
export function isSemver(value: unknown): value is string {
  return typeof value === 'string' && SEMVER.test(value);
}

/** Where a reported version came from, so a surprising one can be explained. */
export interface ResolvedVersion {
  version: string;
  /** The package.json read, when one was found. */
  source?: string;
  /** Why that package.json's version was not used (`has no "version"`), when it was not. */
  refused?: string;
}

/**
 * The version a service reports: the option when given (checked at boot), else the `version`
 * of the nearest package.json at or above `cwd`, else `0.0.0`. The working directory rather
 * than the main module: under a test runner or a process manager the main module is theirs.
 */
export function resolveServiceVersion(option: string | undefined, cwd = process.cwd()): ResolvedVersion {
  if (option !== undefined) return { version: option };
  const found = nearestPackageJson(cwd);
  if (found === undefined) return { version: UNKNOWN_SERVICE_VERSION };
  const { file: source, text } = found;
  let version: unknown;
  try {
    version = (JSON.parse(text) as { version?: unknown } | null)?.version;
  } catch {
    return { version: UNKNOWN_SERVICE_VERSION, source, refused: 'is not JSON' };
  }
  if (isSemver(version)) return { version, source };
  const refused = version === undefined ? 'has no "version"' : `has version ${JSON.stringify(version)?.slice(0, 40)}, not a semantic version`;
  return { version: UNKNOWN_SERVICE_VERSION, source, refused };
}

function nearestPackageJson(from: string): { file: string; text: string } | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch {
      // Missing or unreadable here: look one folder up, until the root.
      if (dirname(dir) === dir) return undefined;
    }
  }
}
