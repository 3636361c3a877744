// Saving a webhook endpoint in production refuses a reserved destination in every spelling — through
// the API's create and update routes and through createEndpoint itself — naming the url field, as
// deliveries to it would be refused; public destinations, and an allow-listed address written another
// way, are saved. The list of event types is bounded, since each is matched against the catalogue;
// so is the URL (2,048 characters), and the ordering wait is whole seconds from 0 to a day.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PATCH as patchEndpoint } from "@/app/api/v1/webhook-endpoints/[id]/route";
import { POST as createEndpointRoute } from "@/app/api/v1/webhook-endpoints/route";
import { createApiKey } from "@/lib/api/keys";
import { ApiRateLimiter, provideApiRateLimiter } from "@/lib/api/rate-limit";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { createSyncEngine, provideEngine } from "@/lib/sync/engine";
import { createEndpoint, InvalidEndpointError, validateEndpoint } from "./endpoints";
import { LOOPBACK_HOSTS, OTHER_RESERVED_HOSTS, PUBLIC_HOSTS } from "./ssrf.testing";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

describe.each(testDatabaseKinds())("saving a webhook endpoint's destination on %s", (kind) => {
  let database: TestDatabase;
  let auth: string;
  let organizationId: string;
  let endpointId: string;

  const send = async (handler: unknown, method: string, body: unknown, id?: string) => {
    const request = new Request(`http://localhost:3000/api/v1/webhook-endpoints${id ? `/${id}` : ""}`, {
      method,
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const response = await (handler as Handler)(request, { params: Promise.resolve<Record<string, string>>(id ? { id } : {}) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    provideEngine(createSyncEngine({ db: database.db }));
    provideApiRateLimiter(new ApiRateLimiter({ requestsPerSecond: 1e6, burst: 1e6 }));
    const { organization } = await createOrganizationWithOwner(database.db, {
      name: "Acme",
      slug: `acme-ssrf-${kind}`,
      owner: { email: "a@example.com", name: "A", passwordHash: "x" },
    });
    organizationId = organization.id;
    const key = await createApiKey(database.db, { organizationId, environment: "sandbox", name: "Backend" });
    auth = `Basic ${Buffer.from(`${key.clientId}:${key.secret}`).toString("base64")}`;
    const created = await send(createEndpointRoute, "POST", { url: "https://example.com/hooks" });
    endpointId = (created.body.webhook_endpoint as { id: string }).id;
  });
  afterAll(async () => {
    provideApiRateLimiter(null);
    vi.unstubAllEnvs();
    await database?.close();
  });

  it("refuses every spelling of a reserved address in production, on create and on update, naming url", async () => {
    vi.stubEnv("NODE_ENV", "production");
    try {
      for (const host of [...LOOPBACK_HOSTS, ...OTHER_RESERVED_HOSTS, "localhost"]) {
        const url = `http://${host}:8080/hooks`;
        for (const answer of [await send(createEndpointRoute, "POST", { url }), await send(patchEndpoint, "PATCH", { url }, endpointId)]) {
          expect(answer.status, url).toBe(400);
          expect(answer.body, url).toMatchObject({
            error_code: "INVALID_FIELD",
            field: "url",
            error_message: expect.stringMatching(/^url: .* which deliveries may not reach/),
          });
        }
        await expect(createEndpoint(database.db, { organizationId, environment: "sandbox" }, { url }), url).rejects.toBeInstanceOf(InvalidEndpointError);
      }
      const mapped = await send(createEndpointRoute, "POST", { url: "http://[::ffff:169.254.169.254]/latest/meta-data/" });
      expect(mapped.body.error_message).toBe(
        "url: [::ffff:a9fe:a9fe] is the IPv4-mapped form (::ffff:0:0/96) of 169.254.169.254, in 169.254.0.0/16 (link-local; cloud metadata services answer here), which deliveries may not reach (allow it with TRIBUTARY_WEBHOOK_ALLOWED_HOSTS if it is your own receiver)",
      );
      expect(await database.db.webhookEndpoint.count({ where: { organizationId } })).toBe(1);
      expect((await database.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).url).toBe("https://example.com/hooks");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("saves public destinations, and an allow-listed address however it is written", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("TRIBUTARY_WEBHOOK_ALLOWED_HOSTS", "receiver.internal, ::ffff:a00:5");
    try {
      for (const host of [...PUBLIC_HOSTS, "receiver.internal", "10.0.0.5", "[::ffff:10.0.0.5]"]) {
        expect((await send(createEndpointRoute, "POST", { url: `https://${host}/hooks` })).status, host).toBe(201);
      }
      expect((await send(createEndpointRoute, "POST", { url: "https://10.0.0.6/hooks" })).status).toBe(400);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("refuses a URL over 2,048 characters and an ordering wait outside 0–86,400 s, naming the field, on create and on update", async () => {
    const long = (n: number) => `https://example.com/${"a".repeat(n - "https://example.com/".length)}`;
    for (const url of [long(2049), long(70_000)]) {
      for (const answer of [await send(createEndpointRoute, "POST", { url }), await send(patchEndpoint, "PATCH", { url }, endpointId)]) {
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ error_code: "INVALID_FIELD", field: "url", error_message: "url: must be at most 2048 characters" });
      }
    }
    const longest = await send(createEndpointRoute, "POST", { url: long(2048) });
    expect(longest.status).toBe(201);
    expect(longest.body.webhook_endpoint).toMatchObject({ url: long(2048), ordering_wait_seconds: 3600 });

    for (const wait of [-1, 86_401, 1.5]) {
      for (const answer of [
        await send(createEndpointRoute, "POST", { url: "https://example.com/hooks", ordering_wait_seconds: wait }),
        await send(patchEndpoint, "PATCH", { ordering_wait_seconds: wait }, endpointId),
      ]) {
        expect(answer.status, String(wait)).toBe(400);
        expect(answer.body, String(wait)).toMatchObject({
          field: "ordering_wait_seconds",
          error_message: "ordering_wait_seconds: must be whole seconds from 0 to 86,400",
        });
      }
    }
    for (const wait of [0, 86_400]) {
      const changed = await send(patchEndpoint, "PATCH", { ordering_wait_seconds: wait }, endpointId);
      expect(changed.status).toBe(200);
      expect(changed.body.webhook_endpoint).toMatchObject({ ordering_wait_seconds: wait });
      expect((await database.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).orderingWaitSeconds).toBe(wait);
    }
  });
});

describe("an endpoint's event types", () => {
  it("are at most 200, each matched against the catalogue when saved", () => {
    const guard = { enforce: false, allowed: [] };
    expect(validateEndpoint({ url: "https://example.com/hooks", eventTypes: Array<string>(200).fill("ORDER_*") }, guard)).toEqual([]);
    expect(validateEndpoint({ url: "https://example.com/hooks", eventTypes: Array<string>(201).fill("ORDER_*") }, guard)).toEqual([
      { path: "event_types", message: "at most 200 event types or patterns" },
    ]);
  });
});
