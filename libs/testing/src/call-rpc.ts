import { type CallOptions, type ErrorClass, NatsClient } from '@cliffracer/nats-transport';

/** Where a one-off call goes: the servers and prefix the services under test use. */
export interface RpcTarget {
  servers: string;
  subjectPrefix?: string;
  /** Error classes to rebuild by name. */
  errors?: ErrorClass[];
}

/**
 * Calls an RPC from outside any service, as a script or another process would:
 * opens a client, calls, closes it (also when the call fails).
 */
export async function callRpc<T = unknown>(
  target: RpcTarget,
  service: string,
  method: string,
  payload?: unknown,
  options?: CallOptions,
): Promise<T> {
  const client = new NatsClient({ service: 'test-caller', ...target });
  try {
    return await client.call<T>(service, method, payload, options);
  } finally {
    await client.close();
  }
}
