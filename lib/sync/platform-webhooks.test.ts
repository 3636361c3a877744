// Platform-triggered syncs: each sandbox platform's own change webhook, verified the platform's way,
// queues an incremental run of the objects it names, which stores the change; a forged signature
// queues nothing.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncDue } from "./drive";
import { receivePlatformWebhook, registerSandboxWebhooks, type WebhookOutcome } from "./platform-webhooks";
import { createSyncHarness, type SyncHarness } from "./testing";

describe.each([
  { platform: "shopify", account: "hook-shop", object: "customers", sandboxObject: "customers", patch: { email: "changed@example.com" }, field: "email", value: "changed@example.com" },
  { platform: "quickbooks", account: "hook-books", object: "customers", sandboxObject: "Customer", patch: { DisplayName: "Changed Company" }, field: "name", value: "Changed Company" },
  { platform: "zendesk", account: "hook-desk", object: "tickets", sandboxObject: "tickets", patch: { subject: "Changed subject" }, field: "subject", value: "Changed subject" },
])("$platform change webhooks", ({ platform, account, object, sandboxObject, patch, field, value }) => {
  let h: SyncHarness;
  let connectionId: string;
  let receiver: Server;
  let receiverUrl: string;
  const outcomes: WebhookOutcome[] = [];

  beforeAll(async () => {
    h = await createSyncHarness({});
    connectionId = await h.connect(platform, { id: account, size: 400 });
    await syncDue(h.engine, connectionId);
    // Stands in for the app's /api/platform-webhooks route, which calls the same function.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", async () => {
        const outcome = await receivePlatformWebhook(h.engine, { platform, connectionId, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") });
        outcomes.push(outcome);
        res.writeHead(outcome.status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const address = receiver.address() as { port: number };
    receiverUrl = `http://127.0.0.1:${address.port}/`;
    await registerSandboxWebhooks(h.engine, connectionId, receiverUrl);
  });
  afterAll(async () => {
    receiver?.close();
    await h?.close();
  });

  it("queues an incremental run of the changed object, which stores the change", async () => {
    const [id] = await h.truth(platform, account, object);
    h.advance(5_000);
    await h.control(`/${platform}/${account}/changes`, "POST", { operations: [{ op: "update", object: sandboxObject, id: Number(id), data: patch }] });
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 200, objects: expect.arrayContaining([object]) });
    const runId = (outcomes[0] as { runId: string }).runId;
    const run = await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ kind: "platform_triggered", status: "queued" });
    expect(run.objects).toContain(object);

    h.advance(3 * 60_000); // past Zendesk's last-minute window
    const [done] = await syncDue(h.engine, connectionId, { maxRuns: 1 });
    expect(done).toMatchObject({ runId, result: { status: "succeeded" } });
    const record = await h.database.db.record.findUniqueOrThrow({ where: { connectionId_object_externalId: { connectionId, object, externalId: id } } });
    expect((record.data as Record<string, unknown>)[field]).toBe(value);
    const updated = await h.database.db.event.findMany({ where: { syncRunId: runId, type: { endsWith: "_UPDATED" } } });
    expect(updated.map((e) => (e.data as { id: string }).id)).toContain(id);
  });

  it("refuses a notification whose signature does not match, and queues nothing", async () => {
    const before = await h.database.db.syncRun.count({ where: { connectionId } });
    const forged = await fetch(receiverUrl, { method: "POST", headers: { "content-type": "application/json", "x-shopify-topic": "orders/update", "x-shopify-hmac-sha256": "AAAA", "intuit-signature": "AAAA", "x-zendesk-webhook-signature": "AAAA", "x-zendesk-webhook-signature-timestamp": "2026-01-01T00:00:00Z" }, body: '{"type":"zen:event-type:ticket.updated"}' });
    expect(forged.status).toBe(401);
    expect(await h.database.db.syncRun.count({ where: { connectionId } })).toBe(before);
    expect((await receivePlatformWebhook(h.engine, { platform: "nope", connectionId, headers: {}, body: "{}" })).status).toBe(404);
  });
});
