export { createShopApp, runShopService, startShopApp } from './shop-app.js';
export type { ShopAppOptions } from './shop-app.js';
export { numberFrom, shopAuthOptions, shopServiceConfig } from './shop-config.js';
export type { ShopServiceConfig } from './shop-config.js';
export { shopPlatform } from './shop-platform.js';
export { startShopTracing } from './shop-tracing.js';
export type { ShopTracing } from './shop-tracing.js';
export { SpanLineExporter } from './span-line.exporter.js';
