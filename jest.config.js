// One Jest configuration: unit tests sit beside the code, e2e tests under test/.
// Runs as native ESM (node --experimental-vm-modules), transformed by swc.
import { createRequire } from 'node:module';

const swcOptions = createRequire(import.meta.url)('./scripts/swc-options.cjs');

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions],
    '/node_modules/@nestjs/throttler/.+\\.js$': '<rootDir>/scripts/jest-nest-esm.transform.cjs',
  },
  // @nestjs/throttler is CommonJS requiring Nest's ES modules: see scripts/jest-nest-esm.setup.mjs.
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/throttler/)'],
  // The workspace packages run from their sources, so `npm test` needs no build; the packaging
  // test (test/packaging) builds and installs them as a user would.
  moduleNameMapper: {
    '^@cliffracer/([a-z0-9-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^@cliffracer-sample/shop-common$': '<rootDir>/apps/shop-common/src/index.ts',
    '^@cliffracer/([a-z0-9-]+)/(.*)$': '<rootDir>/libs/$1/src/$2/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

export default {
  testTimeout: 30000,
  // A failing test must not leave CI waiting on a connection it never closed.
  forceExit: true,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/deployment/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Only here: no unit spec loads @nestjs/throttler, and loading Nest into each of their
      // contexts took a third of the unit run's time and half its memory.
      setupFiles: ['<rootDir>/scripts/jest-nest-esm.setup.mjs'],
    },
  ],
};
