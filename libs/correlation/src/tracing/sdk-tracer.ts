import { trace, type Tracer, type TracerProvider } from '@opentelemetry/api';

/** What the API's global `ProxyTracerProvider` offers beyond `TracerProvider`. */
interface DelegatingProvider extends TracerProvider {
  getDelegate?(): TracerProvider;
  getDelegateTracer?(name: string): Tracer | undefined;
}

/**
 * The tracer of the OpenTelemetry SDK the app registered, or `undefined` while none is: callers
 * then start no span and read no trace header, so tracing costs one lookup per message.
 *
 * The API's global provider is a proxy whose delegate stays a no-op until an SDK registers;
 * the tracer is looked up again only when that delegate changes (an SDK registered, replaced
 * or disabled), so registering the SDK after the app started works too.
 */
export class SdkTracer {
  private provider?: TracerProvider;
  private tracer?: Tracer;

  /** @param name the instrumentation scope, the library's package name */
  constructor(private readonly name: string) {}

  current(): Tracer | undefined {
    const global = trace.getTracerProvider() as DelegatingProvider;
    // A provider that is not a proxy (another copy of the API) is taken to be a real one.
    const provider = global.getDelegate?.() ?? global;
    if (provider !== this.provider) {
      this.provider = provider;
      this.tracer = global.getDelegateTracer === undefined ? global.getTracer(this.name) : global.getDelegateTracer(this.name);
    }
    return this.tracer;
  }
}
