// Integration-test harness for the sync engine: a migrated database, the sandbox platforms on a
// shared, steppable clock, an organization, and connections to sandbox accounts created through the
// sandbox's control API — the same path the Link flow takes, minus the browser.
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from "@/lib/db/testing";
import type { BatchInput } from "@/lib/sync/configuration";
import { newId } from "@/lib/db/ids";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { createConnection } from "./connections";
import { SANDBOX_OAUTH_CLIENT } from "./credentials";
import { createSyncEngine, type EngineOptions, type SyncEngine } from "./engine";
import { RequestLimiter } from "./limiter";
import { saveConfigurationLevel } from "./load-configuration";

/** Unified object → the sandbox dataset object holding its ground truth (objects derived per parent have none). */
export const GROUND_TRUTH_OBJECTS: Record<string, Readonly<Record<string, string>>> = Object.fromEntries(
  SANDBOX_PLATFORMS.map((platform) => [platform.key, platform.groundTruth]),
);

/** One record of the emulator's ground truth, as a test compares it with what a connector read. */
export interface TruthRow {
  /** The dataset's id (what the control API's change operations name). */
  id: number;
  /** The id the platform's API serves (Xero: the record's GUID). */
  externalId: string;
  deleted: boolean;
  /** Whether the unified object has this record at all (Xero's payments are customers' only). */
  member: boolean;
  /** Whether the platform lists it: a member not deleted, or archived (Xero archives contacts and accounts, which stay listed, inactive). */
  listed: boolean;
}

/**
 * Records of a dataset object that a unified object leaves out: the Xero emulator's Payment holds
 * bill payments (ACCPAYPAYMENT) too, and the payments object is money received from customers.
 */
const MEMBERS: Readonly<Partial<Record<string, Readonly<Partial<Record<string, (data: Record<string, unknown>) => boolean>>>>>> = {
  xero: { payments: (data) => data.PaymentType === "ACCRECPAYMENT" },
};

export interface SyncHarness {
  database: TestDatabase;
  sandbox: SandboxServer;
  engine: SyncEngine;
  organizationId: string;
  /** Moves the shared clock of the engine and the sandbox forward. */
  advance(ms: number): void;
  now(): number;
  control(path: string, method: string, body?: unknown): Promise<Response>;
  /** Creates a sandbox account and a connection to it with fresh OAuth tokens. */
  connect(platform: string, account: { id: string; size: number; seed?: number; rate_limited?: boolean }): Promise<string>;
  /** External ids of the records the platform lists for the object (live ones, and archived ones of platforms that archive), sorted. */
  truth(platform: string, accountId: string, object: string): Promise<string[]>;
  /** Every ground-truth row of the object, with the id the API serves and whether the platform lists it. */
  truthRows(platform: string, accountId: string, object: string): Promise<TruthRow[]>;
  /** Live stored external ids, sorted. */
  stored(connectionId: string, object: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function createSyncHarness(options: {
  kind?: TestDatabaseKind;
  engine?: Partial<EngineOptions>;
  batches?: BatchInput[];
  historyMonths?: number;
}): Promise<SyncHarness> {
  // Ten minutes behind real time: Zendesk's "not the last minute" rule can be stepped over.
  let offset = -10 * 60_000;
  const now = () => Date.now() + offset;
  const [database, sandbox] = await Promise.all([
    createTestDatabase(options.kind ?? "pglite"),
    startSandboxServer({ platforms: SANDBOX_PLATFORMS, clock: now }),
  ]);
  const { organization } = await createOrganizationWithOwner(database.db, {
    name: "Acme",
    slug: `acme-${newId("org").slice(-6).toLowerCase()}`,
    owner: { email: "owner@example.com", name: "Owner", passwordHash: "x" },
  });
  await saveConfigurationLevel(
    database.db,
    { organizationId: organization.id, environment: "sandbox" },
    // One month more history than the sandbox accounts have, so the oldest batch reaches their first record.
    { objects: [], historyMonths: options.historyMonths ?? 25, incrementalFrequencyMinutes: 60, batches: options.batches ?? [] },
    newId,
  );
  // The sandbox accounts run without rate limits here; the limiter's own tests cover limits.
  const engine = createSyncEngine({
    db: database.db,
    sandboxUrl: sandbox.url,
    clock: now,
    limiter: new RequestLimiter({ scale: 1000 }),
    options: { retryBaseMs: 5, ...options.engine },
  });
  const control = (path: string, method: string, body?: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  async function truthRows(platform: string, accountId: string, object: string): Promise<TruthRow[]> {
    const sandboxObject = GROUND_TRUTH_OBJECTS[platform][object];
    const body = (await (await control(`/${platform}/${accountId}/ground-truth/${sandboxObject}`, "GET")).json()) as {
      records: { id: number; deleted: boolean; guid?: string; status?: string }[];
    };
    const member = MEMBERS[platform]?.[object];
    const dataset = member ? sandbox.registry.get(platform, accountId)?.dataset : undefined;
    return body.records.map((r) => {
      const belongs = !member || member(dataset?.get(sandboxObject, r.id)?.data ?? {});
      return { id: r.id, externalId: r.guid ?? String(r.id), deleted: r.deleted, member: belongs, listed: belongs && (!r.deleted || r.status === "ARCHIVED") };
    });
  }
  return {
    database,
    sandbox,
    engine,
    organizationId: organization.id,
    advance: (ms) => {
      offset += ms;
    },
    now,
    control,
    async connect(platform, account) {
      const created = await control("", "POST", {
        platform,
        id: account.id,
        size: account.size,
        seed: account.seed ?? 7,
        history_months: 24,
        rate_limited: account.rate_limited ?? false,
      });
      if (created.status !== 201) throw new Error(`sandbox account: ${created.status} ${await created.text()}`);
      // The whole generated history is now older than Zendesk's last-minute window.
      offset += 2 * 60_000;
      // Issued to the app the engine refreshes as (the sandbox's OAuth client), as a sign-in would be.
      const token = (await (await control(`/${platform}/${account.id}/tokens`, "POST", { client_secret: SANDBOX_OAUTH_CLIENT.clientSecret })).json()) as {
        access_token: string;
        refresh_token: string;
        expires_at: string;
      };
      const { id } = await createConnection(database.db, {
        organizationId: organization.id,
        environment: "sandbox",
        platform,
        platformAccountId: account.id,
        credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: token.refresh_token, expiresAt: Date.parse(token.expires_at), scopes: [] },
      });
      return id;
    },
    truthRows,
    async truth(platform, accountId, object) {
      return (await truthRows(platform, accountId, object))
        .filter((r) => r.listed)
        .map((r) => r.externalId)
        .sort();
    },
    async stored(connectionId, object) {
      const rows = await database.db.record.findMany({ where: { connectionId, object, deletedAt: null }, select: { externalId: true } });
      return rows.map((r) => r.externalId).sort();
    },
    async close() {
      await sandbox.stop();
      await database.close();
    },
  };
}
