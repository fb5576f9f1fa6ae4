export { AuthFailureLimiter } from './auth-failure.limiter.js';
export { backdoorBanner } from './backdoor.banner.js';
export { HELP as BACKDOOR_HELP } from './backdoor.helpers.js';
export { BackdoorModule } from './backdoor.module.js';
export { backdoorDisabledReason, DEFAULT_BACKDOOR_OPTIONS, normalizeBackdoorOptions } from './backdoor.options.js';
export { BackdoorServer } from './backdoor.server.js';
export type { BackdoorModuleOptions } from './interfaces/backdoor-options.interface.js';
export { Report } from './report.js';
export { tokenMatches } from './token-check.js';
