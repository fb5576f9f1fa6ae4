import { createServer } from 'node:net';

/** Whether nothing listens on `port` of `host` (a bind succeeds), as the servers will bind it. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The ports of `wanted` that are taken now, with who wanted them. */
export async function takenPorts(wanted: Array<{ owner: string; port: number; host?: string }>): Promise<Array<{ owner: string; port: number }>> {
  const checks = await Promise.all(wanted.map(async (w) => ((await isPortFree(w.port, w.host)) ? undefined : { owner: w.owner, port: w.port })));
  return checks.filter((c): c is { owner: string; port: number } => c !== undefined);
}

/** Waits until every port is free again; resolves those still taken after `timeoutMs`. */
export async function waitForRelease(ports: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let taken = ports;
  while (taken.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    taken = (await Promise.all(taken.map(async (p) => ((await isPortFree(p)) ? undefined : p)))).filter((p): p is number => p !== undefined);
  }
  return taken;
}
