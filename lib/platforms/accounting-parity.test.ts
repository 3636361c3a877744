// One accounting contract, two platforms: the same REST read of accounting/invoices and
// accounting/bills for a QuickBooks and a Xero connection serves the same field names, nested ones
// included, with JSON types the contract's schema allows, the same type wherever both platforms have a
// value, and references in the same shape (the platform id beside Tributary's record id).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as readObject } from "@/app/api/v1/[category]/[object]/route";
import { createApiKey } from "@/lib/api/keys";
import { ApiRateLimiter, provideApiRateLimiter } from "@/lib/api/rate-limit";
import { basicAuth } from "@/lib/api/routes.testing";
import { createConnection } from "@/lib/sync/connections";
import { syncDue } from "@/lib/sync/drive";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { RECORD_ID_PATTERN, referencesOf, servedModel } from "@/lib/unified";

type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  const?: unknown;
  enum?: unknown[];
};
type Served = Record<string, unknown>;

const PLATFORMS = [
  { platform: "quickbooks", account: "9130357123456781" },
  { platform: "xero", account: "3f1c2a7e-5b9d-4e61-8a0f-2c7d9e1b4a60" },
] as const;
const OBJECTS = ["invoices", "bills"] as const;

const jsonType = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : typeof value;

/** The JSON types a schema allows, by path: `lines[].amount` → {"string"}. */
function allowedTypes(schema: JsonSchema, path = "", out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const branches = schema.anyOf ?? [schema];
  const types = out.get(path) ?? new Set<string>();
  for (const branch of branches) {
    const declared = branch.type ?? (branch.enum ? "string" : branch.const === null ? "null" : undefined);
    for (const type of [declared].flat()) if (type) types.add(type);
    for (const [name, property] of Object.entries(branch.properties ?? {})) allowedTypes(property, `${path}${path ? "." : ""}${name}`, out);
    if (branch.items) allowedTypes(branch.items, `${path}[]`, out);
  }
  out.set(path, types);
  return out;
}

/** The JSON types a platform's served records have, by path. */
function seenTypes(value: unknown, path = "", out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const types = out.get(path) ?? new Set<string>();
  types.add(jsonType(value));
  out.set(path, types);
  if (Array.isArray(value)) for (const element of value) seenTypes(element, `${path}[]`, out);
  else if (value && typeof value === "object") for (const [name, field] of Object.entries(value)) seenTypes(field, `${path}${path ? "." : ""}${name}`, out);
  return out;
}

describe("accounting parity between QuickBooks and Xero over the REST API", () => {
  let h: SyncHarness;
  let auth: string;
  const served = new Map<string, Record<string, Served[]>>();

  async function readAll(accessToken: string, object: string): Promise<Served[]> {
    const records: Served[] = [];
    for (let cursor: string | null = null; ;) {
      const query = new URLSearchParams({ access_token: accessToken, limit: "500", ...(cursor ? { cursor } : {}) });
      const request = new Request(`http://localhost:3000/api/v1/accounting/${object}?${query}`, { headers: { authorization: auth } });
      const response = await readObject(request, { params: Promise.resolve({ category: "accounting", object }) } as never);
      const body = (await response.json()) as Record<string, unknown>;
      if (response.status !== 200) throw new Error(`${object}: ${response.status} ${JSON.stringify(body)}`);
      records.push(...(body[object] as { data: Served }[]).map((record) => record.data));
      cursor = body.next_cursor as string | null;
      if (!cursor) return records;
    }
  }

  beforeAll(async () => {
    h = await createSyncHarness({});
    provideEngine(h.engine);
    provideApiRateLimiter(new ApiRateLimiter({ requestsPerSecond: 1e6, burst: 1e6 }));
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Parity" });
    auth = basicAuth(key.clientId, key.secret);
    for (const { platform, account } of PLATFORMS) {
      const created = await h.control("", "POST", { platform, id: account, size: 800, seed: 5, history_months: 24, rate_limited: false });
      if (created.status !== 201) throw new Error(`sandbox account: ${created.status} ${await created.text()}`);
      const token = (await (await h.control(`/${platform}/${account}/tokens`, "POST", {})).json()) as {
        access_token: string;
        refresh_token: string;
        expires_at: string;
      };
      const { id, accessToken } = await createConnection(h.database.db, {
        organizationId: h.organizationId,
        environment: "sandbox",
        platform,
        platformAccountId: account,
        credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: token.refresh_token, expiresAt: Date.parse(token.expires_at), scopes: [] },
      });
      const runs = await syncDue(h.engine, id);
      expect(
        runs.map((run) => run.result.status).every((status) => status === "succeeded"),
        `${platform} syncs`,
      ).toBe(true);
      served.set(platform, Object.fromEntries(await Promise.all(OBJECTS.map(async (object) => [object, await readAll(accessToken, object)] as const))));
    }
  }, 120_000);
  afterAll(() => h?.close());

  describe.each(OBJECTS)("accounting/%s", (object) => {
    it("serves the contract's fields, each with a type its schema allows and the same type on both platforms", () => {
      const schema = servedModel("accounting", object)!;
      const allowed = allowedTypes(z.toJSONSchema(schema, { io: "output" }) as JsonSchema);
      const seen = new Map<string, Map<string, Set<string>>>();
      for (const { platform } of PLATFORMS) {
        const records = served.get(platform)![object];
        expect(records.length, `${platform} has ${object}`).toBeGreaterThan(0);
        for (const record of records) expect(Object.keys(record).sort(), `${platform} ${object} fields`).toEqual(Object.keys(schema.shape).sort());
        const types = new Map<string, Set<string>>();
        for (const record of records) seenTypes(record, "", types);
        types.delete("");
        for (const [path, found] of types) {
          const permitted = allowed.get(path);
          expect(permitted, `${platform} ${object}.${path} is in the contract`).toBeDefined();
          for (const t of found) expect([...permitted!], `${platform} ${object}.${path} is ${t}`).toContain(t);
        }
        seen.set(platform, types);
      }
      const [quickbooks, xero] = PLATFORMS.map(({ platform }) => seen.get(platform)!);
      // Every field path is on both (a nested path only where both have lines), with one non-null type.
      expect([...xero.keys()].sort()).toEqual([...quickbooks.keys()].sort());
      for (const [path, types] of quickbooks) {
        const a = [...types].filter((t) => t !== "null");
        const b = [...xero.get(path)!].filter((t) => t !== "null");
        if (a.length && b.length) expect(b, `${object}.${path}`).toEqual(a);
      }
    });

    it("serves each reference as the platform's id beside Tributary's record id", () => {
      const plan = referencesOf("accounting", object)!;
      for (const { platform } of PLATFORMS) {
        const records = served.get(platform)![object];
        for (const { field, companion, many } of plan.fields) {
          for (const record of records) {
            const ids = many ? (record[field] as unknown[]) : [record[field]];
            const recordIds = many ? (record[companion] as unknown[]) : [record[companion]];
            expect(recordIds.length).toBe(ids.length);
            ids.forEach((id, i) => {
              if (id === null) expect(recordIds[i]).toBeNull();
              else expect(typeof id).toBe("string");
              if (recordIds[i] !== null) expect(recordIds[i]).toMatch(RECORD_ID_PATTERN);
            });
          }
          // The documents' counterparties were synced with them: their references resolve.
          const resolved = records.filter((record) => !many && record[field] !== null && record[companion] !== null).length;
          if (!many) expect(resolved, `${platform} ${object}.${field} resolves`).toBeGreaterThan(0);
        }
        for (const record of records)
          expect(servedModel("accounting", object)!.safeParse(record).success, `${platform} ${object} ${String(record.id)}`).toBe(true);
      }
    });
  });
});
