// Kill the syncing process (SIGKILL) at random instants of a sync, restart it each time, and check
// after every kill that each stored page was stored whole with its checkpoint, and at the end that the
// stored set equals the platform's ground truth: nothing lost, nothing duplicated. Three syncs: 100k
// QuickBooks records read by paginated queries, 10k Xero records paged by number in id order, and a
// Shopify store read through bulk operations, where a kill lands while an operation runs or while its
// file streams in, and the restarted process finds the operation again from its checkpoint and
// downloads the rest of the file by byte range.
import type { ChildProcess } from "node:child_process";
import { spawnTsx } from "@/lib/child-process.testing";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetSecretKeyCache } from "@/lib/crypto";
import { testDatabaseKinds } from "@/lib/db/testing";
import { GROUND_TRUTH_OBJECTS, createSyncHarness, type SyncHarness } from "./testing";

const KILLS = Number(process.env.CRASH_TEST_KILLS ?? 8);
const CHILD = path.join(import.meta.dirname, "crash.child.ts");

/** Each platform's sync, sized so the kills land across the first part of it and never run out of sync to kill. */
const CASES = [
  { platform: "quickbooks", account: "crash-books", size: 100_000, kills: KILLS },
  { platform: "shopify", account: "crash-shop", size: 20_000, kills: Math.ceil(KILLS / 2) },
  // Xero's pages are fast to store: at 10,000 records and kills up to 1.5 s apart the sync once ended
  // (on PostgreSQL, in CI) before its fourth kill. More records, kills closer together.
  { platform: "xero", account: "2b7c9d1e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", size: 30_000, kills: Math.ceil(KILLS / 2), maxDelayMs: 800 },
];

describe.each(testDatabaseKinds().flatMap((kind) => CASES.map((sync) => ({ kind, ...sync }))))(
  "a $platform sync killed at random instants ($kind)",
  ({ kind, platform, account, size: SIZE, kills: KILLS, ...rest }) => {
    const maxDelayMs = ("maxDelayMs" in rest ? rest.maxDelayMs : undefined) ?? 1500;
    let h: SyncHarness;
    let connectionId: string;
    const savedKey = process.env.TRIBUTARY_SECRET_KEY;
    const key = randomBytes(32).toString("base64");

    beforeAll(async () => {
      // The child decrypts the connection's credentials: both processes use the same key.
      process.env.TRIBUTARY_SECRET_KEY = key;
      resetSecretKeyCache();
      h = await createSyncHarness({ kind });
      connectionId = await h.connect(platform, { id: account, size: SIZE, seed: 21 });
    }, 60_000);
    afterAll(async () => {
      await h?.close();
      if (savedKey === undefined) delete process.env.TRIBUTARY_SECRET_KEY;
      else process.env.TRIBUTARY_SECRET_KEY = savedKey;
      resetSecretKeyCache();
    });

    function start(): { child: ChildProcess; exited: Promise<number | null>; syncing: Promise<unknown> } {
      const worker = spawnTsx(CHILD, {
        DATABASE_URL: h.database.url,
        SANDBOX_URL: h.sandbox.url,
        CONNECTION_ID: connectionId,
        CLOCK_OFFSET_MS: String(h.now() - Date.now()),
        TRIBUTARY_SECRET_KEY: key,
      });
      const exited = worker.exited.then((code) => {
        if (code !== 0 && code !== null) console.error(worker.stderr());
        return code;
      });
      // A child killed before it synced never prints it: the caller waits for whichever comes first.
      return { child: worker.child, exited, syncing: worker.waitFor(/syncing/).catch(() => undefined) };
    }

    /** Every page is stored with its checkpoint: a checkpoint's record count equals the records its run wrote. */
    async function expectPagesWhole() {
      const rows = await h.database.db.$queryRaw<{ object: string; checkpointed: number; stored: number }[]>`
      select c.object, c.records::int as checkpointed,
             (select count(*)::int from records r where r.connection_id = ${connectionId} and r.object = c.object and r.last_sync_run_id = c.sync_run_id) as stored
      from checkpoints c join sync_runs s on s.id = c.sync_run_id
      where s.connection_id = ${connectionId}`;
      for (const row of rows) expect(row.stored, row.object).toBe(row.checkpointed);
    }

    it(`stores exactly the ground truth after ${KILLS} kills`, async () => {
      let kills = 0;
      const started = Date.now();
      for (;;) {
        const { child, exited, syncing } = start();
        await Promise.race([syncing, exited]);
        // Anywhere in the next 0.2–1.5 s: the whole sync takes 20–35 s, so eight kills land across the
        // first part of it and never run out of sync to kill (longer delays let a fast run finish first).
        const timer = kills < KILLS ? setTimeout(() => child.kill("SIGKILL"), 200 + Math.random() * (maxDelayMs - 200)) : null;
        const code = await exited;
        if (timer) clearTimeout(timer);
        if (code === 0) break;
        expect(child.signalCode).toBe("SIGKILL");
        kills++;
        await expectPagesWhole();
      }
      expect(kills).toBe(KILLS);
      console.log(`${kind}: ${platform} ${SIZE} records stored after ${kills} kills in ${Date.now() - started} ms`);

      const objects = Object.keys(GROUND_TRUTH_OBJECTS[platform]);
      let total = 0;
      for (const object of objects) {
        const stored = await h.stored(connectionId, object);
        expect(stored, object).toEqual(await h.truth(platform, account, object));
        total += stored.length;
      }
      // QuickBooks' size counts the objects it has ground truth for; Shopify's counts transactions too,
      // Xero's receive-money transactions and bill payments, which the accounting objects leave out.
      if (platform === "quickbooks") expect(total).toBe(SIZE);
      else if (platform === "xero") expect(total).toBeGreaterThan(SIZE / 2);
      else {
        expect(total).toBeGreaterThan(SIZE / 2);
        // The store was read through bulk operations, not pages.
        const token = (await (
          await fetch(`${h.sandbox.url}/control/accounts/shopify/${account}/tokens`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: "{}",
          })
        ).json()) as { access_token: string };
        const answer = await fetch(`${h.sandbox.url}/shopify/${account}/admin/api/2026-10/graphql.json`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-shopify-access-token": token.access_token },
          body: JSON.stringify({ query: "{ currentBulkOperation { status rootObjectCount } }" }),
        });
        const { data } = (await answer.json()) as { data: { currentBulkOperation: { status: string; rootObjectCount: string } | null } };
        expect(data.currentBulkOperation).toMatchObject({ status: "COMPLETED" });
        expect(Number(data.currentBulkOperation!.rootObjectCount)).toBeGreaterThan(100);
      }
      const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
      expect(connection).toMatchObject({ stage: "ONGOING", isReady: true, health: "HEALTHY" });
      // Each object of each run announced its start and completion exactly once, kills notwithstanding.
      const pairs = await h.database.db.$queryRaw<{ type: string; n: number }[]>`
      select type, count(*)::int as n from events where connection_id = ${connectionId} and type like '%_SYNC_%' group by sync_run_id, type having count(*) > 1`;
      expect(pairs).toEqual([]);
    }, 600_000);
  },
);
