import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, ValidationError } from '@cliffracer/nats-transport';
import { callRpc, ensureNats, EventRecorder, type NatsEndpoint, removeDurableStream, uniquePrefix, waitUntil } from '@cliffracer/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InventoryModule } from '../../apps/inventory/src/inventory.module.js';
import { OutOfStockError, ReservationConflictError, UnknownSkuError } from '../../apps/inventory/src/inventory.errors.js';
import { createShopApp, type ShopServiceConfig, startShopApp } from '@cliffracer-sample/shop-common';

describe('inventory service', () => {
  let nats: NatsEndpoint;
  let app: NestFastifyApplication;
  let client: NatsClient;
  let prefix: string;
  const target = () => ({ servers: nats.url, subjectPrefix: prefix, errors: [OutOfStockError, UnknownSkuError, ReservationConflictError] });
  const emitDurable = (subject: string, payload: unknown) => client.emit(subject, payload, { durable: true });

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    const config: ShopServiceConfig = {
      nats: { service: 'inventory', servers: nats.url, subjectPrefix: prefix },
      database: { embeddedDir: 'memory' },
      backdoor: { enabled: false },
      debug: { service: 'inventory', enabled: false },
      instance: 'inventory',
      http: { port: 0, host: '127.0.0.1' },
    };
    app = await createShopApp(InventoryModule.forRoot(config), config, { logger: false });
    await startShopApp(app, config);
    client = app.get(NatsClient);
  });

  afterAll(async () => {
    await app?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
  });

  it('reports stock of a known SKU', async () => {
    await expect(callRpc(target(), 'inventory', 'get_stock', { sku: 'MN-303' })).resolves.toEqual({
      sku: 'MN-303',
      available: 5,
      reserved: 0,
      priceCents: 18900,
    });
  });

  it('fails with UnknownSkuError for an SKU not in the catalogue', async () => {
    await expect(callRpc(target(), 'inventory', 'get_stock', { sku: 'NOPE-1' })).rejects.toBeInstanceOf(UnknownSkuError);
  });

  it('rejects a malformed SKU before the handler runs', async () => {
    await expect(callRpc(target(), 'inventory', 'get_stock', { sku: "x'; DROP TABLE stock;--" })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('reserves stock and announces the reservation', async () => {
    const recorder = await EventRecorder.start(nats.url, `${prefix}.inventory.events.reserved`);
    try {
      const level = await callRpc(target(), 'inventory', 'reserve', { sku: 'KB-101', quantity: 3, orderId: 'o-1' });
      expect(level).toEqual({ sku: 'KB-101', available: 22, reserved: 3, priceCents: 4900 });
      const [event] = await recorder.waitFor(1);
      expect(event!.payload).toEqual({ sku: 'KB-101', quantity: 3, orderId: 'o-1', remaining: 22 });
    } finally {
      await recorder.close();
    }
  });

  it('loses no reservation when several arrive at once', async () => {
    const before = await callRpc<{ available: number; reserved: number }>(target(), 'inventory', 'get_stock', { sku: 'KB-101' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => callRpc(target(), 'inventory', 'reserve', { sku: 'KB-101', quantity: 1, orderId: `burst-${i}` })));
    await expect(callRpc(target(), 'inventory', 'get_stock', { sku: 'KB-101' })).resolves.toEqual({
      sku: 'KB-101',
      available: before.available - 10,
      reserved: before.reserved + 10,
      priceCents: 4900,
    });
  });

  it('refuses to reserve more than is available', async () => {
    const error = await callRpc(target(), 'inventory', 'reserve', { sku: 'MN-303', quantity: 6, orderId: 'o-2' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutOfStockError);
    expect(error).toMatchObject({ code: 'OUT_OF_STOCK', data: { sku: 'MN-303', requested: 6, available: 5 } });
  });

  it('holds nothing more when the same reservation is asked for again', async () => {
    const first = await callRpc<{ available: number }>(target(), 'inventory', 'reserve', { sku: 'MS-202', quantity: 2, orderId: 'o-again' });
    const again = await callRpc<{ available: number }>(target(), 'inventory', 'reserve', { sku: 'MS-202', quantity: 2, orderId: 'o-again' });
    expect(again.available).toBe(first.available);
    await expect(callRpc(target(), 'inventory', 'reserve', { sku: 'MS-202', quantity: 3, orderId: 'o-again' })).rejects.toBeInstanceOf(ReservationConflictError);
    await emitDurable('orders.events.cancelled', { orderId: 'o-again' });
    await waitUntil(async () => (await callRpc<{ reserved: number }>(target(), 'inventory', 'get_stock', { sku: 'MS-202' })).reserved === 0);
  });

  it('puts stock back when the order is cancelled', async () => {
    await callRpc(target(), 'inventory', 'reserve', { sku: 'MS-202', quantity: 10, orderId: 'o-3' });
    await emitDurable('orders.events.cancelled', { orderId: 'o-3' });
    let level: unknown;
    await waitUntil(async () => {
      level = await callRpc(target(), 'inventory', 'get_stock', { sku: 'MS-202' });
      return (level as { available: number }).available === 40;
    });
    expect(level).toEqual({ sku: 'MS-202', available: 40, reserved: 0, priceCents: 2500 });
  });

  it('lets the stock of a paid order go for good', async () => {
    await callRpc(target(), 'inventory', 'reserve', { sku: 'MS-202', quantity: 4, orderId: 'o-4' });
    await emitDurable('orders.events.paid', { orderId: 'o-4', customer: 'ann' });
    let level: unknown;
    await waitUntil(async () => {
      level = await callRpc(target(), 'inventory', 'get_stock', { sku: 'MS-202' });
      return (level as { reserved: number }).reserved === 0;
    });
    expect(level).toEqual({ sku: 'MS-202', available: 36, reserved: 0, priceCents: 2500 });
  });
});
