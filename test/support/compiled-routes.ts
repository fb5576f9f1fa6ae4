/** A server's route as the compiled-pipeline tests look at it: what runs a message, and Nest's handler. */
export interface RouteView {
  subject: string;
  handler: unknown;
  invoke: unknown;
}

/** The routes of a listening `NatsServer`: a private field these tests look inside. */
export function routesOf(server: unknown): RouteView[] {
  return (server as { routes: RouteView[] }).routes;
}

/** True when a route runs its handler's compiled pipeline rather than Nest's. */
export function isCompiled(route: RouteView): boolean {
  return route.invoke !== route.handler;
}

/** Runs `work` with every route of `server` on Nest's own pipeline, then puts the compiled ones back. */
export async function onNestPipeline<T>(server: unknown, work: () => Promise<T>): Promise<T> {
  const routes = routesOf(server);
  const saved = routes.map((r) => r.invoke);
  for (const r of routes) r.invoke = r.handler;
  try {
    return await work();
  } finally {
    routes.forEach((r, i) => (r.invoke = saved[i]!));
  }
}
