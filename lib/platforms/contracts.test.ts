// Every registered platform's connector meets its category's unified contracts (lib/unified): each
// object of a sandbox account is listed whole, through the connector over real HTTP, and every record
// is validated with the object's schema. The platforms and objects come from the registry and the
// catalogue, so a new platform is covered without editing this file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { unifiedModel } from "@/lib/unified";
import { PLATFORM_CATALOG } from "./catalog";
import { CONNECTORS } from "./index";
import type { Connector, ConnectorContext, UnifiedRecord } from "./types";

/**
 * Records per account, across objects: enough for every object to have records and for the rarer
 * shapes to appear (guest checkouts, refunds, unassigned tickets, a whole QuickBooks chart of 20
 * accounts), while a whole account lists in seconds.
 */
const ACCOUNT_SIZE = 2000;
/** Problems reported per object at most: one bad mapping breaks every record alike. */
const SHOWN = 5;

async function listAll(connector: Connector, context: ConnectorContext, object: string): Promise<UnifiedRecord[]> {
  const records: UnifiedRecord[] = [];
  for (let cursor: string | null = null; ;) {
    const page = await connector.list(context, { object, cursor });
    records.push(...page.records);
    if (!page.nextCursor) return records;
    cursor = page.nextCursor;
  }
}

/** What is wrong with the records of one object, by its contract: empty when they all meet it. */
function contractProblems(category: string, object: string, records: UnifiedRecord[]): string[] {
  const model = unifiedModel(category, object);
  if (!model) return [`${category} has no unified model for "${object}"`];
  const problems: string[] = [];
  for (const record of records) {
    const parsed = model.safeParse(record.data);
    if (!parsed.success) {
      problems.push(
        `${object} ${record.externalId}: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(record)"} ${issue.message}`).join("; ")}`,
      );
    } else if (record.data.id !== record.externalId) {
      problems.push(`${object} ${record.externalId}: data.id is ${JSON.stringify(record.data.id)}, not the record's external id`);
    }
    if (record.platformData === null || typeof record.platformData !== "object")
      problems.push(`${object} ${record.externalId}: no platformData (the platform's own payload)`);
  }
  return problems;
}

describe("unified contracts on every platform's sandbox data", () => {
  let sandbox: SandboxServer;
  // Behind real time, so Zendesk's exports (which leave out the last minute) reach the newest records.
  let now = Date.now() - 10 * 60_000;

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS, clock: () => now });
  });
  afterAll(() => sandbox?.stop());

  async function contextFor(platform: string, connector: Connector, seed = 11): Promise<ConnectorContext> {
    const control = (path: string, body: unknown) =>
      fetch(`${sandbox.url}/control/accounts${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    // The emulator names the account, in the form its platform's ids take (Xero: a tenant UUID).
    const created = await control("", { platform, size: ACCOUNT_SIZE, seed, history_months: 24, rate_limited: false });
    if (created.status !== 201) throw new Error(`sandbox account: ${created.status} ${await created.text()}`);
    const { id: accountId } = (await created.json()) as { id: string };
    now += 2 * 60_000;
    const token = (await (await control(`/${platform}/${accountId}/tokens`, {})).json()) as { access_token: string };
    return {
      baseUrl: connector.endpoints(accountId, sandbox.url).apiBaseUrl,
      accountId,
      credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: null, expiresAt: null, scopes: [] },
      fetch,
    };
  }

  it("covers every platform of the registry and the catalogue", () => {
    expect(Object.keys(CONNECTORS).sort()).toEqual(PLATFORM_CATALOG.map((p) => p.key).sort());
    for (const platform of PLATFORM_CATALOG) {
      for (const { key: object } of platform.objects)
        expect(unifiedModel(platform.category, object), `${platform.key}: ${platform.category}/${object} has a contract`).toBeDefined();
    }
  });

  describe.each(PLATFORM_CATALOG.map((platform) => [platform.key, platform] as const))("%s", (key, platform) => {
    it("emits only records its category's contracts accept, for every object of a whole account", async () => {
      const connector = CONNECTORS[key];
      const context = await contextFor(key, connector);
      const problems: string[] = [];
      const counts: Record<string, number> = {};
      for (const { key: object } of platform.objects) {
        const records = await listAll(connector, context, object);
        counts[object] = records.length;
        problems.push(...contractProblems(platform.category, object, records).slice(0, SHOWN));
      }
      expect(problems).toEqual([]);
      for (const { key: object } of platform.objects) expect(counts[object], `${key} ${object}: the account has records of every object`).toBeGreaterThan(0);
    }, 120_000);
  });

  it("fails on a record its contract rejects", async () => {
    const shopify = PLATFORM_CATALOG.find((p) => p.key === "shopify")!;
    const connector = CONNECTORS.shopify;
    // The connector as it would be had its mapping sent one order's amount through as a JSON number.
    let broke = false;
    const broken: Connector = {
      ...connector,
      async list(context, request) {
        const page = await connector.list(context, request);
        const records = page.records.map((r) => (broke ? r : ((broke = true), { ...r, data: { ...r.data, total_price: Number(r.data.total_price) } })));
        return { ...page, records };
      },
    };
    const records = await listAll(broken, await contextFor("shopify", connector, 12), "orders");
    const problems = contractProblems(shopify.category, "orders", records);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/total_price/);
  });
});
