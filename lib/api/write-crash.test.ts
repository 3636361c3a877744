// A write whose process is SIGKILLed after the platform made the record and before Tributary stored
// it, then retried with the same Idempotency-Key: exactly one record on the platform and one in
// Tributary, with one _CREATED event. The write runs in a child process (write-crash.child.ts) through
// the API's own route; the parent serves the platform (the sandbox, in this process) and kills the
// child from inside the platform's handler, the instant the record exists and before its answer is
// written back: the child can never have stored it. The retry comes after the claim of the dead
// request counts as abandoned (ABANDONED_AFTER_MS), and the platform answers it from its own
// idempotency record (QuickBooks' requestid, Zendesk's and Xero's Idempotency-Key), derived from the key,
// or (Shopify's productCreate, which takes no key) the retry finds the product by the custom ID the
// first attempt gave it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, resetSecretKeyCache } from "@/lib/crypto";
import { testDatabaseKinds } from "@/lib/db/testing";
import { syncDue } from "@/lib/sync/drive";
import { ABANDONED_AFTER_MS } from "./idempotency";
import { xeroGuid } from "@/lib/platforms/xero/sandbox/ids";
import { createApiFixtures, type ApiFixtures } from "./routes.testing";

const CHILD = path.join(import.meta.dirname, "write-crash.child.ts");

const CASES = [
  {
    platform: "quickbooks",
    account: "crash-write-books",
    object: "invoices",
    entity: "Invoice",
    path: "/accounting/invoices",
    body: (customer: string) => ({ customer_id: customer, lines: [{ description: "Deposit", amount: "250.00" }] }),
    references: "customers",
  },
  {
    platform: "zendesk",
    account: "crash-write-desk",
    object: "tickets",
    entity: "tickets",
    path: "/ticketing/tickets",
    body: () => ({ subject: "Charged twice", description: "Order 1042 was charged twice." }),
    references: null,
  },
  {
    platform: "xero",
    account: "0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f",
    object: "customers",
    entity: "Customer",
    path: "/accounting/customers",
    body: () => ({ name: "Kōwhai Crash Repairs" }),
    references: null,
    // Xero's ids are GUIDs made from the dataset's.
    externalId: (entity: string, id: number) => xeroGuid(entity, id),
  },
  {
    platform: "shopify",
    account: "crash-write-shop",
    object: "products",
    entity: "products",
    path: "/commerce/products",
    body: () => ({ title: "Harakeke tote", vendor: "Te Whare", tags: ["new"] }),
    references: null,
  },
] as const;

describe.each(testDatabaseKinds().flatMap((kind) => CASES.map((write) => ({ kind, ...write }))))(
  "a $platform write killed between the platform's answer and Tributary's commit ($kind)",
  ({ kind, platform, account, object, entity, path: writePath, body: bodyFor, references, ...write }) => {
    let api: ApiFixtures;
    let connectionId: string;
    const token = `access_crash_${platform}_${kind}`;
    const savedKey = process.env.TRIBUTARY_SECRET_KEY;
    const secretKey = randomBytes(32).toString("base64");

    beforeAll(async () => {
      // The child decrypts the connection's credentials: both processes use the same key.
      process.env.TRIBUTARY_SECRET_KEY = secretKey;
      resetSecretKeyCache();
      api = await createApiFixtures(kind);
      connectionId = await api.h.connect(platform, { id: account, size: 80 });
      await api.h.database.db.connection.update({ where: { id: connectionId }, data: { accessTokenHash: hashToken(token) } });
      await syncDue(api.h.engine, connectionId);
    }, 120_000);
    afterAll(async () => {
      await api?.close();
      if (savedKey === undefined) delete process.env.TRIBUTARY_SECRET_KEY;
      else process.env.TRIBUTARY_SECRET_KEY = savedKey;
      resetSecretKeyCache();
    });

    function start(url: string, body: string, key: string): { child: ChildProcess; exited: Promise<void>; output: () => string } {
      // Node itself with tsx's loader: the tsx CLI would run the script in a grandchild that SIGKILL misses.
      const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
        env: {
          ...process.env,
          DATABASE_URL: api.h.database.url,
          SANDBOX_URL: api.h.sandbox.url,
          CLOCK_OFFSET_MS: String(api.h.now() - Date.now()),
          TRIBUTARY_SECRET_KEY: secretKey,
          WRITE_URL: url,
          WRITE_BODY: body,
          WRITE_KEY: key,
          WRITE_AUTHORIZATION: api.auth.ours,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      return { child, exited: new Promise((resolve) => child.on("exit", () => resolve())), output: () => output };
    }

    it("leaves exactly one record on the platform and in Tributary after the retry", async () => {
      const db = api.h.database.db;
      const dataset = api.h.sandbox.registry.get(platform, account)!.dataset;
      const reference = references ? (await db.record.findFirstOrThrow({ where: { connectionId, object: references, deletedAt: null } })).externalId : "";
      const body = JSON.stringify(bodyFor(reference));
      const key = `crash-${platform}-${kind}`;
      const url = `http://localhost:3000/api/v1${writePath}?access_token=${token}`;
      const live = async () => (await api.h.truthRows(platform, account, object)).filter((row) => !row.deleted).length;
      const before = await live();

      // Killed from inside the platform's handler, the moment the record exists, before it answers.
      let made: number | null = null;
      let running: ChildProcess | null = null;
      const stop = dataset.onChange((change) => {
        if (change.kind !== "created" || change.record.object !== entity || made !== null) return;
        made = change.record.id;
        running?.kill("SIGKILL");
      });
      const { child, exited, output } = start(url, body, key);
      running = child;
      await exited;
      stop();
      expect(child.signalCode, output()).toBe("SIGKILL");
      expect(made).not.toBeNull();
      const externalId = "externalId" in write ? write.externalId(entity, made!) : String(made);

      // The platform has the record; Tributary has neither it nor an answer for the key.
      expect(await live()).toBe(before + 1);
      expect(await db.record.count({ where: { connectionId, object, externalId } })).toBe(0);
      const claim = await db.apiIdempotencyKey.findFirstOrThrow({ where: { key } });
      expect(claim.responseStatus).toBeNull();

      // Retried once the dead request's claim counts as abandoned.
      api.h.advance(ABANDONED_AFTER_MS + 1000);
      const route = api.routes.get("POST /{category}/{object}")!;
      const [, category, name] = writePath.split("/");
      const response = await route.handler(
        new Request(url, { method: "POST", headers: { authorization: api.auth.ours, "content-type": "application/json", "idempotency-key": key }, body }),
        { params: Promise.resolve({ category, object: name }) },
      );
      const answer = (await response.json()) as { record: { id: string } };
      expect(response.status, JSON.stringify(answer)).toBe(201);
      expect(answer.record.id).toBe(externalId);

      expect(await live()).toBe(before + 1);
      expect(await db.record.count({ where: { connectionId, object, externalId } })).toBe(1);
      expect(await db.event.count({ where: { connectionId, externalId, type: { endsWith: "_CREATED" } } })).toBe(1);
      // And the key now replays that answer.
      const replay = await route.handler(
        new Request(url, { method: "POST", headers: { authorization: api.auth.ours, "content-type": "application/json", "idempotency-key": key }, body }),
        { params: Promise.resolve({ category, object: name }) },
      );
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(await live()).toBe(before + 1);
    }, 120_000);
  },
);
