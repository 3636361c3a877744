// Platform-triggered syncs: each sandbox platform's own change webhook, verified the platform's way,
// queues an incremental run of the objects it names, which stores the change; a forged signature
// queues nothing.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as webhookRoute } from "@/app/api/platform-webhooks/[platform]/[connectionId]/route";
import { encryptSecret } from "@/lib/crypto";
import { syncDue } from "./drive";
import { provideEngine } from "./engine";
import { receivePlatformWebhook, registerSandboxWebhooks, type WebhookOutcome } from "./platform-webhooks";
import { createSyncHarness, type SyncHarness } from "./testing";

describe.each([
  {
    platform: "shopify",
    account: "hook-shop",
    object: "customers",
    sandboxObject: "customers",
    patch: { email: "changed@example.com" },
    field: "email",
    value: "changed@example.com",
  },
  {
    platform: "quickbooks",
    account: "hook-books",
    object: "customers",
    sandboxObject: "Customer",
    patch: { DisplayName: "Changed Company" },
    field: "name",
    value: "Changed Company",
  },
  {
    platform: "zendesk",
    account: "hook-desk",
    object: "tickets",
    sandboxObject: "tickets",
    patch: { subject: "Changed subject" },
    field: "subject",
    value: "Changed subject",
  },
  {
    platform: "xero",
    account: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
    object: "customers",
    sandboxObject: "Customer",
    patch: { Name: "Changed Company" },
    field: "name",
    value: "Changed Company",
  },
])("$platform change webhooks", ({ platform, account, object, sandboxObject, patch, field, value }) => {
  let h: SyncHarness;
  let connectionId: string;
  let receiver: Server;
  let receiverUrl: string;
  const outcomes: WebhookOutcome[] = [];
  const intentChecks: WebhookOutcome[] = [];

  beforeAll(async () => {
    h = await createSyncHarness({});
    connectionId = await h.connect(platform, { id: account, size: 400 });
    await syncDue(h.engine, connectionId);
    // Stands in for the app's /api/platform-webhooks route, which calls the same function.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", async () => {
        const outcome = await receivePlatformWebhook(h.engine, {
          platform,
          connectionId,
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        outcomes.push(outcome);
        res.writeHead(outcome.status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const address = receiver.address() as { port: number };
    receiverUrl = `http://127.0.0.1:${address.port}/`;
    await registerSandboxWebhooks(h.engine, connectionId, receiverUrl);
    // Platforms that check a new subscription first (Xero's intent to receive) post twice at once.
    const checks = h.sandbox.registry.get(platform, account)!.platform.intentToReceive ? 2 : 0;
    for (const until = Date.now() + 5000; outcomes.length < checks && Date.now() < until;) await new Promise((resolve) => setTimeout(resolve, 20));
    intentChecks.push(...outcomes.splice(0));
  });
  afterAll(async () => {
    receiver?.close();
    await h?.close();
  });

  it("passes the platform's check of the subscription, if it makes one", async () => {
    const { webhooks } = (await (await h.control(`/${platform}/${account}/webhooks`, "GET")).json()) as {
      webhooks: { url: string; intent_to_receive?: string }[];
    };
    if (!h.sandbox.registry.get(platform, account)!.platform.intentToReceive) {
      expect(intentChecks).toEqual([]);
      return;
    }
    // A correctly signed empty delivery is accepted and names nothing; a wrongly signed one is refused.
    expect(intentChecks.map((outcome) => outcome.status).sort()).toEqual([200, 401]);
    expect(intentChecks.find((outcome) => outcome.status === 200)).toMatchObject({ objects: [], runId: null });
    expect(webhooks.find((hook) => hook.url === receiverUrl)?.intent_to_receive).toBe("ok");
  });

  it("queues an incremental run of the changed object, which stores the change", async () => {
    const [{ id, externalId }] = (await h.truthRows(platform, account, object)).filter((row) => row.listed);
    h.advance(5_000);
    await h.control(`/${platform}/${account}/changes`, "POST", { operations: [{ op: "update", object: sandboxObject, id, data: patch }] });
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 200, objects: expect.arrayContaining([object]) });
    const runId = (outcomes[0] as { runId: string }).runId;
    const run = await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ kind: "platform_triggered", status: "queued" });
    expect(run.objects).toContain(object);

    h.advance(3 * 60_000); // past Zendesk's last-minute window
    const [done] = await syncDue(h.engine, connectionId, { maxRuns: 1 });
    expect(done).toMatchObject({ runId, result: { status: "succeeded" } });
    const record = await h.database.db.record.findUniqueOrThrow({ where: { connectionId_object_externalId: { connectionId, object, externalId } } });
    expect((record.data as Record<string, unknown>)[field]).toBe(value);
    const updated = await h.database.db.event.findMany({ where: { syncRunId: runId, type: { endsWith: "_UPDATED" } } });
    expect(updated.map((e) => (e.data as { id: string }).id)).toContain(externalId);
  });

  it("refuses a notification whose signature does not match, and queues nothing", async () => {
    const before = await h.database.db.syncRun.count({ where: { connectionId } });
    const forged = await fetch(receiverUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "orders/update",
        "x-shopify-hmac-sha256": "AAAA",
        "intuit-signature": "AAAA",
        "x-zendesk-webhook-signature": "AAAA",
        "x-zendesk-webhook-signature-timestamp": "2026-01-01T00:00:00Z",
      },
      body: '{"type":"zen:event-type:ticket.updated"}',
    });
    expect(forged.status).toBe(401);
    expect(await h.database.db.syncRun.count({ where: { connectionId } })).toBe(before);
    expect((await receivePlatformWebhook(h.engine, { platform: "nope", connectionId, headers: {}, body: "{}" })).status).toBe(404);
  });
});

describe("the platform webhook route", () => {
  let h: SyncHarness;
  let connectionId: string;
  const account = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
  const secret = "xero-webhook-key";
  const post = (headers: Record<string, string>, body: string) =>
    webhookRoute(
      new Request(`http://localhost:3000/api/platform-webhooks/xero/${connectionId}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      }),
      {
        params: Promise.resolve({ platform: "xero", connectionId }),
      },
    );

  beforeAll(async () => {
    h = await createSyncHarness({});
    provideEngine(h.engine);
    connectionId = await h.connect("xero", { id: account, size: 100 });
    await h.database.db.connection.update({ where: { id: connectionId }, data: { platformWebhookSecretEncrypted: encryptSecret(secret) } });
  });
  afterAll(() => h?.close());

  it("answers Xero's intent to receive within 5 s: 200 with no body when signed with the key, 401 otherwise", async () => {
    const { valid, invalid } = h.sandbox.registry.get("xero", account)!.platform.intentToReceive!(secret);
    const started = Date.now();
    const good = await post(valid.headers, valid.body);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe("");
    expect(good.headers.get("set-cookie")).toBeNull();
    const bad = await post(invalid.headers, invalid.body);
    expect(bad.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await h.database.db.syncRun.count({ where: { connectionId, kind: "platform_triggered" } })).toBe(0);
  });
});
