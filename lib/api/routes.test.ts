// Every operation of the public API, through the route Next.js serves it from (found in the folders),
// against the same rules: no key, a wrong secret or a revoked key answer 401; another organization's
// key on this organization's objects answers 404 exactly like an object that does not exist; a
// connection's access token works for its own organization only; a body that is not JSON or has an
// unknown field answers 400 naming it. A new operation is covered as soon as it is in OPERATIONS; a
// path parameter without a fixture in routes.testing.ts fails its tests, saying what to add.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseKinds } from "@/lib/db/testing";
import type { Operation } from "./operation";
import { OPERATIONS } from "./operations";
import { createApiFixtures, exampleBody, exampleQuery, parameterNames, routeTarget, takesAccessToken, type ApiFixtures, type Fixture } from "./routes.testing";

/** Operations that take no API key, left out on purpose (say why). None yet: Link's public routes live under app/link, outside OPERATIONS. */
const NO_API_KEY = new Set<string>([]);

describe.each(testDatabaseKinds())("every API operation (%s)", (kind) => {
  let api: ApiFixtures;

  beforeAll(async () => {
    api = await createApiFixtures(kind);
  });
  afterAll(async () => {
    await api?.close();
  });

  const call = async (operation: Operation, options: { authorization: string | null; which?: keyof Fixture; accessToken?: string; body?: string }) => {
    const { route, params, path } = routeTarget(api, operation.method, operation.path, options.which);
    const query = exampleQuery(operation, options.accessToken ?? api.tokens.ours).toString();
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.authorization) headers.authorization = options.authorization;
    const body = options.body ?? (operation.body ? JSON.stringify(exampleBody(operation)) : undefined);
    const request = new Request(`http://localhost:3000/api/v1${path}${query ? `?${query}` : ""}`, { method: operation.method, headers, body });
    const response = await route.handler(request, { params: Promise.resolve(params) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const covered = OPERATIONS.filter((operation) => !NO_API_KEY.has(operation.operationId));

  it("covers every operation but those left out on purpose", () => {
    expect(covered.length).toBeGreaterThan(0);
    for (const id of NO_API_KEY)
      expect(
        OPERATIONS.some((o) => o.operationId === id),
        `NO_API_KEY lists ${id}, which is not an operation`,
      ).toBe(true);
  });

  describe.each(covered.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))("%s", (_name, operation) => {
    it("answers 401 without a key, with a wrong secret and with a revoked key", async () => {
      for (const authorization of [null, api.auth.wrongSecret, api.auth.revoked]) {
        const { status, body } = await call(operation, { authorization });
        expect(status, `authorization: ${authorization ?? "none"}`).toBe(401);
        expect(body).toMatchObject({ error_type: "AUTHENTICATION_ERROR", error_code: "INVALID_CREDENTIALS" });
      }
    });

    if (parameterNames(operation.path).length > 0 || takesAccessToken(operation)) {
      it("answers 404 to another organization's key on this organization's objects, exactly as for objects that do not exist", async () => {
        const foreign = await call(operation, { authorization: api.auth.other });
        const missing = await call(operation, { authorization: api.auth.ours, which: "missing", accessToken: api.tokens.missing });
        const missingForeign = await call(operation, { authorization: api.auth.other, which: "missing", accessToken: api.tokens.missing });
        expect(foreign.status).toBe(404);
        expect(foreign.body).toEqual(missing.body);
        expect(foreign.body).toEqual(missingForeign.body);
      });
    }

    if (takesAccessToken(operation)) {
      it("answers 404 to another organization's access token, as to a token that does not exist", async () => {
        const foreignToken = await call(operation, { authorization: api.auth.ours, accessToken: api.tokens.other });
        const missingToken = await call(operation, { authorization: api.auth.ours, accessToken: api.tokens.missing });
        expect(foreignToken.status).toBe(404);
        expect(foreignToken.body).toEqual(missingToken.body);
      });
    }

    if (operation.body !== undefined) {
      it("answers 400 INVALID_JSON to a body that is not JSON, and 400 naming an unknown field", async () => {
        expect(await call(operation, { authorization: api.auth.ours, body: "{not json" })).toMatchObject({
          status: 400,
          body: { error_type: "INVALID_REQUEST", error_code: "INVALID_JSON" },
        });
        const unknown = JSON.stringify({ ...(exampleBody(operation) as object), zz_unknown_field: 1 });
        expect(await call(operation, { authorization: api.auth.ours, body: unknown })).toMatchObject({
          status: 400,
          body: { error_code: "INVALID_FIELD", field: "zz_unknown_field" },
        });
      });
    }
  });
});
