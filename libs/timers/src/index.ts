export { Timer } from './decorators/timer.decorator.js';
export { DuplicateTimerError } from './errors/duplicate-timer.error.js';
export type { TimerMetadata, TimerOptions, TimerRunReport } from './interfaces/timer-metadata.interface.js';
export type { TimersModuleOptions } from './interfaces/timers-options.interface.js';
export { TimerLoop } from './timer.loop.js';
export { TIMER_METADATA, TIMER_RUN_CHANNEL } from './timers.constants.js';
export { TimersModule } from './timers.module.js';
export { DEFAULT_TIMERS_OPTIONS, normalizeTimersOptions } from './timers.options.js';
export { TimersRegistry } from './timers.registry.js';
