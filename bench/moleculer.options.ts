import type { BrokerOptions } from 'moleculer';

/** The bench payload's rules (`BENCH.payload`) in fastest-validator's schema, as a Moleculer service states them. */
export const MOLECULER_PAYLOAD_SCHEMA = {
  sku: 'string',
  quantity: { type: 'number', integer: true, min: 1 },
  orderId: 'string',
} as const;

/** A broker on the NATS transporter under this run's prefix, with its own logging and metrics off. */
export function moleculerBrokerOptions(nodeID: string): BrokerOptions {
  return {
    nodeID,
    namespace: process.env.BENCH_PREFIX!,
    transporter: { type: 'NATS', options: { url: process.env.NATS_URL } },
    logger: false,
    validator: true,
    metrics: false,
    tracing: false,
    heartbeatInterval: 10,
  };
}
