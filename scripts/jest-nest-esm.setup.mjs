// Jest on Node < 24.9 cannot require() an ES module, and @nestjs/throttler (CommonJS) requires
// Nest's ESM packages; Node itself can (20.19+). This hands that CommonJS code the very
// instances the tests import, through scripts/jest-nest-esm.transform.cjs.
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';

globalThis[Symbol.for('cliffracer.jest.nest-esm')] = { '@nestjs/common': common, '@nestjs/core': core };
