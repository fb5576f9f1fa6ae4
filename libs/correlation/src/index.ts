export { CORRELATION_ID_HEADER, MAX_CORRELATION_ID_LENGTH } from './correlation.constants.js';
export { acceptCorrelationId, generateCorrelationId, isValidCorrelationId } from './correlation-id.js';
export { CorrelationContext } from './correlation.context.js';
export type { CorrelationStore } from './correlation.context.js';
export { CorrelationLogger } from './correlation.logger.js';
