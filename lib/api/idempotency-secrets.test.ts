// Secrets are shown once, Idempotency-Key or not: for every operation that answers one, the first answer
// has it, a replay with the same key answers it as null and says so (Idempotent-Replayed,
// Idempotent-Withheld), and the answer kept in api_idempotency_keys holds no trace of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as accessTokenRoute } from "@/app/api/v1/connections/[id]/access-token/route";
import { POST as exchangeRoute } from "@/app/api/v1/item/public_token/exchange/route";
import { POST as linkSessionsRoute } from "@/app/api/v1/link/sessions/route";
import { POST as rotateRoute } from "@/app/api/v1/webhook-endpoints/[id]/rotate-secret/route";
import { POST as createEndpointRoute } from "@/app/api/v1/webhook-endpoints/route";
import { testDatabaseKinds } from "@/lib/db/testing";
import { connectWithApiKey, createLinkSession } from "@/lib/link/sessions";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { withoutSecrets } from "./idempotency";
import { createApiKey } from "./keys";
import { OPERATIONS } from "./operations";

type Body = Record<string, unknown>;

describe.each(testDatabaseKinds())("secrets in idempotent replays (%s)", (kind) => {
  let h: SyncHarness;
  let auth: string;

  const post = async (route: unknown, path: string, body: unknown, key: string, params: Record<string, string> = {}) => {
    const request = new Request(`http://localhost:3000/api/v1${path}`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json", "Idempotency-Key": key },
      body: JSON.stringify(body),
    });
    const response = await (route as (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>)(request, {
      params: Promise.resolve(params),
    });
    return {
      status: response.status,
      replayed: response.headers.get("Idempotent-Replayed"),
      withheld: response.headers.get("Idempotent-Withheld"),
      body: (await response.json()) as Body,
    };
  };
  const stored = async (key: string) =>
    (await h.database.db.apiIdempotencyKey.findFirstOrThrow({ where: { organizationId: h.organizationId, key } })).responseBody ?? "";

  /** The first answer has the secrets; its replay has them null and names them; the stored answer has none of them. */
  async function expectShownOnce(send: () => ReturnType<typeof post>, key: string, fields: string[]) {
    const first = await send();
    expect(first.status).toBeLessThan(300);
    expect(first.replayed).toBeNull();
    expect(first.withheld).toBeNull();
    const secrets = fields.map((field) => first.body[field]);
    for (const secret of secrets) expect(typeof secret === "string" && secret.length > 20, `${fields.join(", ")} in the first answer`).toBe(true);

    const replay = await send();
    expect(replay.status).toBe(first.status);
    expect(replay.replayed).toBe("true");
    expect(replay.withheld).toBe(fields.join(", "));
    expect(replay.body).toEqual({ ...first.body, ...Object.fromEntries(fields.map((field) => [field, null])) });

    const row = await stored(key);
    expect(row).not.toBe("");
    for (const secret of secrets as string[]) {
      expect(row).not.toContain(secret);
      // Nor any part of it long enough to matter (the random tail after its prefix).
      expect(row).not.toContain(secret.slice(-16));
    }
    return first.body;
  }

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Backend" });
    auth = `Basic ${Buffer.from(`${key.clientId}:${key.secret}`).toString("base64")}`;
  });
  afterAll(() => h?.close());

  it("POST /webhook-endpoints: the signing secret", async () => {
    const body = await expectShownOnce(
      () => post(createEndpointRoute, "/webhook-endpoints", { url: "http://127.0.0.1:9/hooks", event_types: ["ENDPOINT_TEST"] }, "create-endpoint"),
      "create-endpoint",
      ["secret"],
    );
    expect(body.secret).toMatch(/^whsec_/);
    expect(await stored("create-endpoint")).toContain((body.webhook_endpoint as { id: string }).id);
  });

  it("POST /webhook-endpoints/{id}/rotate-secret: the new signing secret", async () => {
    const created = await post(createEndpointRoute, "/webhook-endpoints", { url: "http://127.0.0.1:9/rotated" }, "create-to-rotate");
    const id = (created.body.webhook_endpoint as { id: string }).id;
    const body = await expectShownOnce(() => post(rotateRoute, `/webhook-endpoints/${id}/rotate-secret`, {}, "rotate-1", { id }), "rotate-1", ["secret"]);
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(created.body.secret);
  });

  it("POST /link/sessions: the link token and the URL that carries it", async () => {
    const body = await expectShownOnce(() => post(linkSessionsRoute, "/link/sessions", { end_user_id: "user-1" }, "session-1"), "session-1", [
      "link_token",
      "link_url",
    ]);
    expect(body.link_url).toContain(encodeURIComponent(body.link_token as string));
    expect(await stored("session-1")).toContain(body.expires_at as string);
  });

  it("POST /item/public_token/exchange: the access token", async () => {
    await h.control("", "POST", { platform: "quickbooks", id: "7000000001", size: 5, seed: 1, rate_limited: false });
    const { api_key } = (await (await h.control("/quickbooks/7000000001/api-keys", "POST", {})).json()) as { api_key: string };
    const session = await createLinkSession(h.engine, { organizationId: h.organizationId, environment: "sandbox" }, { platforms: ["quickbooks"] });
    const { publicToken, metadata } = await connectWithApiKey(h.engine, session.token, { platform: "quickbooks", account: "7000000001", apiKey: api_key });
    const body = await expectShownOnce(() => post(exchangeRoute, "/item/public_token/exchange", { public_token: publicToken }, "exchange-1"), "exchange-1", [
      "access_token",
    ]);
    expect(body).toMatchObject({ access_token: expect.stringMatching(/^access_/), connection_id: metadata.connection_id, is_relink: false });
  });

  it("POST /connections/{id}/access-token: the new access token", async () => {
    const id = await h.connect("zendesk", { id: "secrets-desk", size: 5 });
    const body = await expectShownOnce(() => post(accessTokenRoute, `/connections/${id}/access-token`, {}, "access-token-1", { id }), "access-token-1", [
      "access_token",
    ]);
    expect(body).toEqual({ access_token: expect.stringMatching(/^access_/), connection_id: id });
  });

  it("answers without secrets (an error) are kept and replayed as they were, naming nothing", async () => {
    const first = await post(exchangeRoute, "/item/public_token/exchange", { public_token: "public_forged" }, "exchange-forged");
    expect(first).toMatchObject({ status: 400, withheld: null, body: { error_code: "INVALID_PUBLIC_TOKEN" } });
    expect(await post(exchangeRoute, "/item/public_token/exchange", { public_token: "public_forged" }, "exchange-forged")).toEqual({
      ...first,
      replayed: "true",
    });
  });
});

describe("withoutSecrets", () => {
  it("nulls the declared fields present, keeps the others, and refuses what it cannot read", () => {
    expect(withoutSecrets('{"secret":"whsec_x","id":"whk_1"}', ["secret"])).toBe('{"secret":null,"id":"whk_1"}');
    expect(withoutSecrets('{"error_code":"NOT_FOUND"}', ["secret"])).toBe('{"error_code":"NOT_FOUND"}');
    expect(withoutSecrets("whsec_x", ["secret"])).toBeNull();
    expect(withoutSecrets('["whsec_x"]', ["secret"])).toBeNull();
    expect(withoutSecrets("anything", [])).toBe("anything");
  });

  it("is declared by every operation whose answer names a secret field", () => {
    // The answer descriptions list their fields in backquotes: `{ webhook_endpoint, secret }`.
    const SECRET_NAMES = /^(secret|access_token|link_token|link_url|client_secret|api_key)$/;
    for (const operation of OPERATIONS) {
      const named = Object.entries(operation.responses)
        .filter(([status]) => Number(status) < 300)
        .flatMap(([, description]) => (/`\{([^}`]*)\}`/.exec(description)?.[1].split(",") ?? []).map((field) => field.trim()));
      const secret = named.filter((field) => SECRET_NAMES.test(field));
      expect([...(operation.secretFields ?? [])].sort(), operation.operationId).toEqual(secret.sort());
    }
  });
});
