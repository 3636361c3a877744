// Kill the syncing process (SIGKILL) at random instants of a 100k-record sync, restart it each time,
// and check after every kill that each stored page was stored whole with its checkpoint, and at the
// end that the stored set equals the platform's ground truth: nothing lost, nothing duplicated.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetSecretKeyCache } from "@/lib/crypto";
import { testDatabaseKinds } from "@/lib/db/testing";
import { GROUND_TRUTH_OBJECTS, createSyncHarness, type SyncHarness } from "./testing";

const SIZE = 100_000;
const KILLS = Number(process.env.CRASH_TEST_KILLS ?? 8);
const CHILD = path.join(import.meta.dirname, "crash.child.ts");

describe.each(testDatabaseKinds())("a sync killed at random instants (%s)", (kind) => {
  let h: SyncHarness;
  let connectionId: string;
  const savedKey = process.env.TRIBUTARY_SECRET_KEY;
  const key = randomBytes(32).toString("base64");

  beforeAll(async () => {
    // The child decrypts the connection's credentials: both processes use the same key.
    process.env.TRIBUTARY_SECRET_KEY = key;
    resetSecretKeyCache();
    h = await createSyncHarness({ kind });
    connectionId = await h.connect("quickbooks", { id: "crash-books", size: SIZE, seed: 21 });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    if (savedKey === undefined) delete process.env.TRIBUTARY_SECRET_KEY;
    else process.env.TRIBUTARY_SECRET_KEY = savedKey;
    resetSecretKeyCache();
  });

  function start(): { child: ChildProcess; exited: Promise<number | null>; syncing: Promise<void> } {
    // Node itself with tsx's loader: the tsx CLI would run the script in a grandchild that SIGKILL misses.
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: { ...process.env, DATABASE_URL: h.database.url, SANDBOX_URL: h.sandbox.url, CONNECTION_ID: connectionId, CLOCK_OFFSET_MS: String(h.now() - Date.now()), TRIBUTARY_SECRET_KEY: key },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const syncing = new Promise<void>((resolve) => child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("syncing") && resolve()));
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => {
        if (code !== 0 && code !== null) console.error(stderr);
        resolve(code);
      }),
    );
    return { child, exited, syncing };
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
      const timer = kills < KILLS ? setTimeout(() => child.kill("SIGKILL"), 200 + Math.random() * 1300) : null;
      const code = await exited;
      if (timer) clearTimeout(timer);
      if (code === 0) break;
      expect(child.signalCode).toBe("SIGKILL");
      kills++;
      await expectPagesWhole();
    }
    expect(kills).toBe(KILLS);
    console.log(`${kind}: ${SIZE} records stored after ${kills} kills in ${Date.now() - started} ms`);

    const objects = Object.keys(GROUND_TRUTH_OBJECTS.quickbooks);
    let total = 0;
    for (const object of objects) {
      const stored = await h.stored(connectionId, object);
      expect(stored, object).toEqual(await h.truth("quickbooks", "crash-books", object));
      total += stored.length;
    }
    expect(total).toBe(SIZE);
    const connection = await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection).toMatchObject({ stage: "ONGOING", isReady: true, health: "HEALTHY" });
    // Each object of each run announced its start and completion exactly once, kills notwithstanding.
    const pairs = await h.database.db.$queryRaw<{ type: string; n: number }[]>`
      select type, count(*)::int as n from events where connection_id = ${connectionId} and type like '%_SYNC_%' group by sync_run_id, type having count(*) > 1`;
    expect(pairs).toEqual([]);
  }, 600_000);
});
