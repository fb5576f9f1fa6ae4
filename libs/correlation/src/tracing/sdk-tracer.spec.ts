import { afterEach, describe, expect, it } from '@jest/globals';
import { trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { SdkTracer } from './sdk-tracer.js';

/** The least a registered SDK provides: a tracer per scope name. */
class RecordingProvider implements TracerProvider {
  readonly asked: string[] = [];
  getTracer(name: string): Tracer {
    this.asked.push(name);
    return { name } as unknown as Tracer;
  }
}

describe('SdkTracer', () => {
  afterEach(() => trace.disable());

  describe('current', () => {
    it('is undefined while no SDK is registered', () => {
      expect(new SdkTracer('@cliffracer/test').current()).toBeUndefined();
    });

    it('is the registered provider’s tracer, asked for once however often it is read', () => {
      const provider = new RecordingProvider();
      trace.setGlobalTracerProvider(provider);
      const tracer = new SdkTracer('@cliffracer/test');
      const first = tracer.current();
      for (let i = 0; i < 100; i++) tracer.current();
      expect(first).toEqual({ name: '@cliffracer/test' });
      expect(provider.asked).toEqual(['@cliffracer/test']);
    });

    it('follows an SDK registered after it was first read, and one disabled later', () => {
      const tracer = new SdkTracer('@cliffracer/test');
      expect(tracer.current()).toBeUndefined();
      trace.setGlobalTracerProvider(new RecordingProvider());
      expect(tracer.current()).toBeDefined();
      trace.disable();
      expect(tracer.current()).toBeUndefined();
    });
  });
});
