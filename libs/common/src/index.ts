export { CliffracerError } from './errors/cliffracer.error.js';
export type { CliffracerErrorOptions } from './errors/cliffracer.error.js';
export { InvalidOptionsError } from './errors/invalid-options.error.js';
export { isCliffracerError } from './errors/type-guards.js';
export type { Json } from './json.type.js';
