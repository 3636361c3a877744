// Xero's webhooks from the emulator to a receiver that verifies them Xero's way (x-xero-signature =
// base64 HMAC-SHA256 of the raw body with the webhook key): intent to receive first, then one event a
// change of a contact or an invoice, none for payments and bank transactions.
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { xero } from "./platform";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TENANT = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
const KEY = "xero-webhook-key-for-tests-0123456789";

describe("Xero webhooks from the emulator", () => {
  let sandbox: SandboxServer;
  let receiver: Server;
  let receiverUrl = "";
  const received: { valid: boolean; body: Json }[] = [];

  const control = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as Json };
  };

  async function intentOutcome(url: string): Promise<string> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const hook = ((await control(`/xero/${TENANT}/webhooks`, "GET")).body.webhooks as Json[]).find((h) => h.url === url);
      if (hook?.intent_to_receive !== "pending") return hook?.intent_to_receive;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return "pending";
  }

  beforeAll(async () => {
    // A receiver as Xero asks for one: 200 for a correct signature, 401 otherwise.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const valid = req.headers["x-xero-signature"] === createHmac("sha256", KEY).update(raw).digest("base64");
        received.push({ valid, body: JSON.parse(raw) });
        res.writeHead(req.url === "/lenient" || valid ? 200 : 401).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
    const address = receiver.address();
    receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    sandbox = await startSandboxServer({ platforms: [xero] });
    await control("", "POST", { platform: "xero", id: TENANT, size: 500, seed: 4 });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("checks intent to receive: ok when the receiver answers 200 and 401, failed when it accepts a bad signature", async () => {
    const good = await control(`/xero/${TENANT}/webhooks`, "POST", { url: `${receiverUrl}/xero`, secret: KEY });
    expect(good.status).toBe(201);
    expect(await intentOutcome(`${receiverUrl}/xero`)).toBe("ok");
    const intents = received.filter((r) => r.body.events.length === 0);
    expect(intents.map((r) => r.valid)).toEqual([true, false]);
    expect(intents[0].body).toMatchObject({ events: [], firstEventSequence: 0, lastEventSequence: 0 });
    expect(intents[0].body.entropy).toMatch(/^[A-Z]{20}$/);

    await control(`/xero/${TENANT}/webhooks`, "POST", { url: `${receiverUrl}/lenient`, secret: KEY });
    expect(await intentOutcome(`${receiverUrl}/lenient`)).toBe("failed");
    await control(`/xero/${TENANT}`, "DELETE");
    await control("", "POST", { platform: "xero", id: TENANT, size: 500, seed: 4 });
  });

  it("sends an UPDATE event for a changed invoice and a deleted contact, CREATE for a new invoice, nothing for payments", async () => {
    await control(`/xero/${TENANT}/webhooks`, "POST", { url: `${receiverUrl}/xero`, secret: KEY });
    expect(await intentOutcome(`${receiverUrl}/xero`)).toBe("ok");
    received.length = 0;
    const truth = (await control(`/xero/${TENANT}/ground-truth`, "GET")).body.records as Json[];
    const invoice = truth.find((r) => r.object === "Invoice" && r.status === "AUTHORISED")!;
    const customer = truth.find((r) => r.object === "Customer")!;
    const payment = truth.find((r) => r.object === "Payment")!;
    await control(`/xero/${TENANT}/changes`, "POST", {
      operations: [
        { op: "update", object: "Payment", id: payment.id, data: { Reference: "x" } },
        { op: "update", object: "Invoice", id: invoice.id, data: { Status: "VOIDED" } },
        { op: "delete", object: "Customer", id: customer.id },
        { op: "create", object: "Bill", data: { Type: "ACCPAY", Status: "DRAFT", Total: 10 } },
      ],
    });
    for (let attempt = 0; attempt < 100 && received.length < 3; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(3);
    expect(received.every((r) => r.valid)).toBe(true);
    const events = received.map((r) => r.body.events[0]);
    expect(events[0]).toMatchObject({
      resourceId: invoice.guid,
      resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${invoice.guid}`,
      eventCategory: "INVOICE",
      eventType: "UPDATE",
      tenantId: TENANT,
      tenantType: "ORGANISATION",
    });
    expect(events[0].eventDateUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(events[1]).toMatchObject({ resourceId: customer.guid, eventCategory: "CONTACT", eventType: "UPDATE" });
    expect(events[2]).toMatchObject({ eventCategory: "INVOICE", eventType: "CREATE" });
    const sequences = received.map((r) => r.body.firstEventSequence as number);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(received.every((r) => r.body.firstEventSequence === r.body.lastEventSequence)).toBe(true);
  });
});
