// Rewrites require('@nestjs/common' | '@nestjs/core') in CommonJS Nest add-ons (@nestjs/throttler)
// to the ES modules scripts/jest-nest-esm.setup.mjs loaded: Jest below Node 24.9 cannot
// require() ES modules itself. Only the tests need it; Node runs these packages as they are.
const NEST_ESM = /require\((["'])(@nestjs\/(?:common|core))\1\)/g;

module.exports = {
  process(source) {
    return { code: source.replace(NEST_ESM, (_match, _quote, name) => `globalThis[Symbol.for('cliffracer.jest.nest-esm')][${JSON.stringify(name)}]`) };
  },
  getCacheKey(source, path) {
    return `nest-esm-1:${path}:${source.length}:${require('node:crypto').createHash('sha1').update(source).digest('hex')}`;
  },
};
