// The sandbox's control API (control.ts) as tests and benches call it over HTTP: JSON in, JSON out.

// The control API's answers are read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A caller of `/control/accounts{path}` on the sandbox at `baseUrl()` (read when called: servers start later). */
export function controlClient(baseUrl: () => string): (path: string, method: string, body?: unknown) => Promise<Json> {
  return async (path, method, body) => {
    const response = await fetch(`${baseUrl()}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Json;
  };
}
