// Webhooks end to end: an endpoint pointing at a receiver this test runs on 127.0.0.1 (development
// allows private addresses, lib/webhooks/ssrf.ts), its secret shown once, a test event delivered and
// signed, a failing receiver, resend, replay of failed deliveries, then the Overview's incidents.
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { signIn } from "./support";

interface Received {
  id: string;
  signature: string;
  timestamp: string;
  body: string;
}

/** A receiver that answers 200, or 500 while `failing`, and records what it got. */
function receiver() {
  const state = { failing: false, received: [] as Received[] };
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      state.received.push({
        id: String(request.headers["webhook-id"]),
        signature: String(request.headers["webhook-signature"]),
        timestamp: String(request.headers["webhook-timestamp"]),
        body,
      });
      response.writeHead(state.failing ? 500 : 200, { "content-type": "text/plain" });
      response.end(state.failing ? "receiver is down for maintenance" : "ok, thanks");
    });
  });
  return { state, server };
}

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, caret: "initial" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

function verifies(secret: string, message: Received): boolean {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${message.id}.${message.timestamp}.${message.body}`).digest("base64");
  return message.signature.split(" ").includes(`v1,${expected}`);
}

test("creates an endpoint, delivers to it, shows failures, resends and replays, and the Overview reports it", async ({ page }, testInfo) => {
  test.setTimeout(480_000);
  const { state, server } = receiver();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  try {
    await page.goto("/webhooks");
    await signIn(page);
    // Pages compile on first visit in dev mode, slowly on a busy machine.
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible({ timeout: 90_000 });
    await screenshot(page, testInfo, "webhooks-empty");

    // Create: a bad URL and an unknown pattern are refused next to their fields.
    await page.getByRole("link", { name: "Add endpoint" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Add a webhook endpoint" })).toBeVisible({ timeout: 90_000 });
    await page.getByLabel("Endpoint URL").fill("ftp://example.com/hooks");
    await page.getByLabel("Only the types I choose").check();
    await page.getByLabel("Add a pattern").fill("NOPE_*");
    await page.getByRole("button", { name: "Add pattern" }).click();
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await expect(page.getByLabel("Endpoint URL")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Endpoint URL")).toHaveAccessibleDescription(/must use https/i);
    await expect(page.getByText('"NOPE_*" matches no event type')).toBeVisible();
    await screenshot(page, testInfo, "webhooks-create-errors");

    // Then valid: one attempt only (so a failure is final and can be replayed), and connection creations
    // only: with every event, the demo connections' syncs fanned deliveries to it while it was failing
    // (12 failed rows where the test counts its own 1). Test events reach it whatever it wants.
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("Description").fill("E2E receiver");
    await page.getByRole("button", { name: "Remove NOPE_*" }).click();
    await page.getByPlaceholder("Filter: order, failed, connection…").fill("connection");
    await page.getByLabel("CONNECTION_CREATED").check();
    await page.getByText("Delivery settings").click();
    await page.getByLabel("Retry schedule (seconds)").fill("0");
    await page.getByLabel("Timeout (seconds)").fill("5");
    await screenshot(page, testInfo, "webhooks-create-form");
    await page.getByRole("button", { name: "Create endpoint" }).click();

    // The secret, once, with a copy button.
    const panel = page.getByRole("region", { name: "Endpoint created" });
    await expect(panel).toContainText("it will not be shown again");
    const secret = await panel.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await expect(panel.getByRole("button", { name: "Copy signing secret" })).toBeVisible();
    await screenshot(page, testInfo, "webhooks-secret-once");
    await panel.getByRole("button", { name: "I have stored the secret" }).click();
    await expect(page.getByRole("heading", { level: 1, name: url })).toBeVisible({ timeout: 90_000 });
    expect(await page.content()).not.toContain(secret);

    // A test event: delivered, signed with the secret, its attempt shown.
    await page.getByRole("button", { name: "Send test event" }).click();
    const testRow = page.getByRole("row").filter({ hasText: "ENDPOINT_TEST" }).first();
    // The deliveries route compiles on its first request in dev mode.
    await expect(testRow).toContainText("Succeeded", { timeout: 90_000 });
    await expect(testRow).toContainText("HTTP 200");
    expect(state.received.length).toBeGreaterThanOrEqual(1);
    expect(verifies(secret, state.received[0])).toBe(true);
    await testRow.getByRole("button", { name: /^Show attempts/ }).click();
    await expect(page.getByRole("list", { name: /^Attempts of/ })).toContainText("ok, thanks");
    await screenshot(page, testInfo, "webhooks-delivered");

    // The receiver fails: the attempt shows 500 and its answer; the delivery fails (one attempt allowed).
    state.failing = true;
    await page.getByRole("button", { name: "Send test event" }).click();
    const failedRow = page.getByRole("row").filter({ hasText: "ENDPOINT_TEST" }).filter({ hasText: "Failed" }).first();
    await expect(failedRow).toContainText("HTTP 500", { timeout: 30_000 });
    await failedRow.getByRole("button", { name: /^Show attempts/ }).click();
    await expect(page.getByRole("list", { name: /^Attempts of/ })).toContainText("receiver is down for maintenance");
    await page.reload();
    await expect(page.getByText("Failing", { exact: true }).first()).toBeVisible();
    await screenshot(page, testInfo, "webhooks-failed-attempt");

    // Fixed: resend that delivery, it succeeds on its second attempt.
    state.failing = false;
    await page.getByLabel("Delivery status").selectOption("failed");
    const onlyFailed = page.getByRole("row").filter({ hasText: "ENDPOINT_TEST" });
    await expect(onlyFailed).toHaveCount(1);
    await onlyFailed.getByRole("button", { name: /^Resend/ }).click();
    await page.getByLabel("Delivery status").selectOption("");
    await expect(page.getByRole("row").filter({ hasText: "ENDPOINT_TEST" }).filter({ hasText: "Failed" })).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByRole("row").filter({ hasText: "ENDPOINT_TEST" }).first()).toContainText("HTTP 200");
    await screenshot(page, testInfo, "webhooks-resent");

    // Two more failures, then replay them: the confirmation says how many.
    state.failing = true;
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByRole("row").filter({ hasText: "Failed" })).toHaveCount(1, { timeout: 30_000 });
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByRole("row").filter({ hasText: "Failed" })).toHaveCount(2, { timeout: 30_000 });
    state.failing = false;
    await page.getByRole("button", { name: "Replay failed…" }).click();
    const dialog = page.getByRole("dialog", { name: "Replay 2 failed deliveries?" });
    await expect(dialog).toBeVisible();
    await screenshot(page, testInfo, "webhooks-replay-confirm");
    await dialog.getByRole("button", { name: "Replay" }).click();
    await expect(page.getByText("2 deliveries queued again.")).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Failed" })).toHaveCount(0, { timeout: 30_000 });
    await screenshot(page, testInfo, "webhooks-replayed");

    // Rotate: the new secret once, the old one named as still working for the grace period.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await expect(page.getByRole("dialog", { name: "Rotate the signing secret?" })).toContainText("keeps signing deliveries for 24 hours");
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    const rotated = page.getByRole("region", { name: "New signing secret" });
    await expect(rotated).toContainText("The old secret keeps working until");
    const newSecret = await rotated.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(newSecret).not.toBe(secret);
    await screenshot(page, testInfo, "webhooks-rotated");
    await rotated.getByRole("button", { name: "I have stored the secret" }).click();

    // Disable (confirmed): the Overview lists it as an incident linking to it.
    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("dialog", { name: "Disable this endpoint?" }).getByRole("button", { name: "Disable endpoint" }).click();
    await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();
    await screenshot(page, testInfo, "webhooks-disabled");

    await page.goto("/webhooks");
    await expect(page.getByRole("row").filter({ hasText: url })).toContainText("Disabled");
    await screenshot(page, testInfo, "webhooks-list");

    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByText("Webhook deliveries (24 h)")).toBeVisible();
    const incident = page.getByRole("link", { name: url });
    await expect(incident).toBeVisible();
    await screenshot(page, testInfo, "overview");
    await incident.click();
    await expect(page.getByRole("heading", { level: 1, name: url })).toBeVisible();

    // Delete, confirmed.
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog", { name: "Delete this endpoint?" }).getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    // Other specs (sync jobs) leave endpoints of their own: this one's is gone from the list.
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
    await expect(page.getByText(url)).toHaveCount(0);
  } finally {
    server.close();
  }
});
