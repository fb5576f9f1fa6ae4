/** Metadata key under which `@Timer` records its schedule. */
export const TIMER_METADATA = 'cliffracer:timer';

/**
 * Diagnostics channel (node:diagnostics_channel) that receives a `TimerRunReport` after every
 * run. Publishing is skipped when nothing subscribes, so it costs nothing unless observed.
 */
export const TIMER_RUN_CHANNEL = 'cliffracer:timers:run';
