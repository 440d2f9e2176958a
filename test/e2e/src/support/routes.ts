import type { INestApplication } from '@nestjs/common';

export interface RegisteredRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** Express path pattern, e.g. `/v1/settings/:id/beds`. */
  path: string;
}

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * Every route the running app answers, read from Express's router: Nest's controllers and
 * what Swagger mounts. Tests walk this list, so a route added later is not forgotten.
 */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const instance = app.getHttpAdapter().getInstance() as { router?: { stack: ExpressLayer[] } };
  const stack = instance.router?.stack;
  if (!stack) throw new Error('Express router not found: the HTTP adapter changed, update registeredRoutes()');
  const routes: RegisteredRoute[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (!on || method === '_all') continue;
      for (const path of paths) routes.push({ method: method.toUpperCase() as RegisteredRoute['method'], path });
    }
  }
  return routes;
}

export function routeKey(route: RegisteredRoute): string {
  return `${route.method} ${route.path}`;
}

/** Fills `:name` segments from `params`; a missing one is an error so no literal `:id` is sent by accident. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}
