import { checkPayloadLimits, type ResolvedPayloadLimits, toWireError, ValidationError } from '@cliffracer/nats-transport';
import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Holds HTTP bodies to the payload limits NATS bodies meet (depth, keys, elements, string
 * length): fastify's `bodyLimit` bounds only bytes, and a body nested 100,000 deep or an array
 * of 200,000 elements within it stalls the event loop for seconds in class-transformer and
 * class-validator (or overflows their stack). A JSON body is scanned before it is parsed; a
 * form, flat by nature, is counted once parsed. A breach answers 400 `VALIDATION_ERROR` naming
 * the limit, unlogged, as a malformed body is. Call before `app.init()`.
 */
export function limitHttpBodies(app: NestFastifyApplication, limits: ResolvedPayloadLimits): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { bodyLimit, onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  app.useBodyParser(JSON_TYPE, { bodyLimit }, (request, body, done) => {
    try {
      checkPayloadLimits(body, limits, route(request));
    } catch (error) {
      done(refusal(error), undefined);
      return;
    }
    // secure-json-parse takes the buffer as it is, as Nest's own JSON parser hands it over.
    parseJson(request as Parameters<typeof parseJson>[0], body as unknown as string, done);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const breach = request.headers['content-type']?.toLowerCase().startsWith(FORM_TYPE) ? formBreach(request.body, limits) : undefined;
    done(breach === undefined ? undefined : refusal(new ValidationError([{ field: 'payload', messages: [breach] }], `${breach}: ${route(request)}`)));
  });
}

// A parsed form: one key per field, an array for a repeated one, strings for values.
function formBreach(body: unknown, { maxKeys, maxArrayLength, maxStringLength, maxValues }: ResolvedPayloadLimits): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const keys = Object.keys(body);
  if (keys.length > maxKeys) return `payload breaks the limit maxKeys (${maxKeys})`;
  let values = 0;
  for (const key of keys) {
    const value = (body as Record<string, unknown>)[key];
    if (Array.isArray(value) && value.length > maxArrayLength) return `payload breaks the limit maxArrayLength (${maxArrayLength})`;
    values += Array.isArray(value) ? value.length : 1;
    if (values > maxValues) return `payload breaks the limit maxValues (${maxValues})`;
    const strings = Array.isArray(value) ? [key, ...value] : [key, value];
    if (strings.some((s) => typeof s === 'string' && s.length > maxStringLength)) return `payload breaks the limit maxStringLength (${maxStringLength})`;
  }
  return undefined;
}

function route(request: { method: string; routeOptions: { url?: string } }): string {
  return `${request.method} ${request.routeOptions.url ?? 'unmatched'}`;
}

function refusal(error: unknown): BadRequestException {
  const wire = toWireError(error);
  return new BadRequestException({ statusCode: 400, error: wire.name, code: wire.code, message: wire.message, data: wire.data });
}
