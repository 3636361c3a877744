// For tests: the routes under app/api/v1 as Next.js serves them, found by walking the folders (each
// `[param]` folder is a `{param}` of the path) and importing each route.ts for its exported methods.
// The OpenAPI test compares them with the document; the route tests call every operation's handler.
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { RouteHandler } from "./handler";
import type { HttpMethod, Operation } from "./operation";

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export const API_ROOT = path.resolve(import.meta.dirname, "../../app/api/v1");

export interface DiscoveredRoute {
  /** "GET /connections/{id}" */
  key: string;
  method: HttpMethod | "HEAD" | "OPTIONS";
  /** The OpenAPI path under /api/v1. */
  path: string;
  /** The route file, relative to the project. */
  file: string;
  handler: RouteHandler & { operation?: Operation };
}

/** Every exported method of every app/api/v1/**\/route.ts. */
export async function discoverRoutes(root = API_ROOT): Promise<DiscoveredRoute[]> {
  const files = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && /^route\.(ts|tsx|js)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const routes: DiscoveredRoute[] = [];
  for (const file of files) {
    const routePath = pathOfRouteFile(root, file);
    const exports = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof exports[method] !== "function") continue;
      routes.push({
        key: `${method} ${routePath}`,
        method,
        path: routePath,
        file: path.relative(path.resolve(root, "../../.."), file),
        handler: exports[method] as DiscoveredRoute["handler"],
      });
    }
  }
  return routes;
}

/** app/api/v1/connections/[id]/route.ts → /connections/{id}; route groups "(x)" add nothing. */
export function pathOfRouteFile(root: string, file: string): string {
  const segments = path.relative(root, path.dirname(file)).split(path.sep).filter(Boolean);
  const parts = segments
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .map((segment) => {
      // A catch-all ([...path]) is one parameter whose value may hold slashes (the proxy's path).
      if (segment.startsWith("[[")) throw new Error(`${file}: optional catch-all segments cannot be described by an OpenAPI path`);
      if (segment.startsWith("[...")) return `{${segment.slice(4, -1)}}`;
      const param = /^\[(.+)\]$/.exec(segment);
      return param ? `{${param[1]}}` : segment;
    });
  return `/${parts.join("/")}`;
}

/**
 * The route serving a documented `method path`, and the path parameters its path fills in: the route
 * of the same path, or else the one whose `{param}` segments take the path's values (the document
 * lists GET /commerce/orders, which GET /{category}/{object} serves with { category, object }).
 */
export function matchRoute(
  routes: Iterable<DiscoveredRoute>,
  method: string,
  documentedPath: string,
): { route: DiscoveredRoute; params: Record<string, string> } | undefined {
  const segments = documentedPath.split("/");
  let best: { route: DiscoveredRoute; params: Record<string, string>; fixed: number } | undefined;
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split("/");
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let fixed = 0;
    const matches = template.every((part, i) => {
      if (part === segments[i]) return ++fixed > 0;
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (!name || /^\{.+\}$/.test(segments[i])) return false;
      params[name] = segments[i];
      return true;
    });
    if (matches && (!best || fixed > best.fixed)) best = { route, params, fixed };
  }
  return best && { route: best.route, params: best.params };
}
