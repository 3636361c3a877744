// Webhook deliveries as a member inspects them: the endpoint's status while a delivery is still in
// backoff after another one succeeded, a delivery's page (attempts, the request as sent), "Retry
// now", and the replay window typed in 24-hour UTC by a member whose browser is in Los Angeles with
// a US locale (where the browser's own picker would show a local, 12-hour clock). The receiver runs
// on 127.0.0.1 in this test (development allows private addresses, lib/webhooks/ssrf.ts).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { E2E } from "./config";

test.use({ timezoneId: "America/Los_Angeles", locale: "en-US" });

/** A receiver that answers 200, or 500 while `failing`, and records each request's headers and body. */
function receiver() {
  const state = { failing: false, received: [] as { headers: IncomingHttpHeaders; body: string }[] };
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      state.received.push({ headers: request.headers, body });
      response.writeHead(state.failing ? 500 : 200, { "content-type": "text/plain" });
      response.end(state.failing ? "receiver is down for maintenance" : "ok, thanks");
    });
  });
  return { state, server };
}

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    // Nothing may push the page sideways: tables and code scroll inside themselves.
    const overflow = () =>
      page.evaluate((limit) => {
        if (document.documentElement.scrollWidth <= limit) return "none";
        // Name what sticks out, for the failure message.
        const culprits = [...document.querySelectorAll("main *")].filter((element) => element.getBoundingClientRect().right > limit + 1);
        return `${document.documentElement.scrollWidth} px: ${culprits
          .slice(-3)
          .map((element) => `<${element.tagName.toLowerCase()} class="${element.className}">`)
          .join(", ")}`;
      }, width);
    await expect.poll(overflow, { message: `${name} at ${width} px overflows sideways` }).toBe("none");
    const path = testInfo.outputPath(`${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true, caret: "initial" });
    await testInfo.attach(`${name}-${width}`, { path, contentType: "image/png" });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** "2026-12-03 18:40": a minute in UTC as the dashboard writes it. */
const utc = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ");

test("an endpoint with a delivery in backoff says so; its delivery page shows the request as sent; retry now and a 24-hour UTC replay window", async ({
  page,
}, testInfo) => {
  test.setTimeout(480_000);
  const { state, server } = receiver();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deliveries-e2e`;
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/webhooks/new");
    await page.getByLabel("Email").fill(E2E.adminEmail);
    await page.getByLabel("Password").fill(E2E.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Pages compile on first visit in dev mode, slowly on a busy machine.
    await expect(page.getByRole("heading", { level: 1, name: "Add a webhook endpoint" })).toBeVisible({ timeout: 90_000 });

    // Two attempts: the first now, the second an hour later (so a failed first attempt waits in backoff).
    // Connection creations only: with every event, the demo connections' syncs fan deliveries to it and
    // the receiver counts more than the test sent. Test events reach it whatever it wants.
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("Description").fill("Deliveries E2E receiver");
    await page.getByLabel("Only the types I choose").check();
    await page.getByPlaceholder("Filter: order, failed, connection…").fill("connection");
    await page.getByLabel("CONNECTION_CREATED").check();
    await page.getByText("Delivery settings").click();
    await page.getByLabel("Retry schedule (seconds)").fill("0, 3600");
    await page.getByLabel("Timeout (seconds)").fill("5");
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await page.getByRole("region", { name: "Endpoint created" }).getByRole("button", { name: "I have stored the secret" }).click();
    await expect(page.getByRole("heading", { level: 1, name: url })).toBeVisible({ timeout: 90_000 });
    const endpointPath = new URL(page.url()).pathname;

    // A delivery fails and waits an hour for its second attempt; then another one succeeds, which
    // ends the endpoint's failing streak. The first is still retrying: the endpoint is not just "Enabled".
    state.failing = true;
    await page.getByRole("button", { name: "Send test event" }).click();
    const retryingRow = page.getByRole("row").filter({ hasText: "ENDPOINT_TEST" }).filter({ hasText: "HTTP 500" });
    // The deliveries route compiles on its first request in dev mode.
    await expect(retryingRow).toContainText("Pending", { timeout: 90_000 });
    await expect(retryingRow).toContainText(/retry in (\d+ min|1 h)/);
    state.failing = false;
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByRole("row").filter({ hasText: "ENDPOINT_TEST" }).filter({ hasText: "Succeeded" })).toHaveCount(1, { timeout: 30_000 });
    await page.reload();
    await expect(page.getByText("Retrying", { exact: true })).toBeVisible();
    await expect(page.getByText("1 delivery retrying")).toBeVisible();
    await expect(page.getByText("Enabled", { exact: true })).toHaveCount(0);
    await screenshot(page, testInfo, "endpoint-retrying");
    await page.goto("/webhooks");
    await expect(page.getByRole("row").filter({ hasText: url })).toContainText("Retrying");
    await expect(page.getByRole("row").filter({ hasText: url })).toContainText("1 delivery retrying");

    // The delivery's page: its attempt, the request as sent (method, URL, body), and "Retry now".
    await page.goto(endpointPath);
    await page
      .getByRole("row")
      .filter({ hasText: "HTTP 500" })
      .getByRole("link", { name: /^Delivery ENDPOINT_TEST/ })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: /ENDPOINT_TEST/ })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByText(/Attempt 1 failed; the next is due in (\d+ min|1 h)\./)).toBeVisible();
    const attempts = page.getByRole("list", { name: /^Attempts of dlv_/ });
    await expect(attempts.getByRole("listitem")).toHaveCount(1);
    await expect(attempts).toContainText("Attempt 1");
    await expect(attempts).toContainText("HTTP 500");
    await expect(attempts).toContainText("receiver is down for maintenance");
    const request = page.locator("section").filter({ has: page.getByRole("heading", { name: "Request as sent" }) });
    await expect(request).toContainText("POST");
    await expect(request).toContainText(url);
    const sent = state.received[0];
    expect(JSON.parse(sent.body)).toMatchObject({ type: "ENDPOINT_TEST", data: { message: "A test event from Tributary" } });
    // The headers as the receiver got them: Tributary's user agent, the Standard Webhooks headers, the stream position.
    expect(sent.headers["user-agent"]).toMatch(/^Tributary-Webhooks\//);
    const headers = request.locator("pre").first();
    await expect(request.getByText("Headers (attempt 1)")).toBeVisible();
    for (const name of ["user-agent", "webhook-id", "webhook-timestamp", "webhook-signature", "tributary-sequence"]) {
      await expect(headers).toContainText(`${name}: ${String(sent.headers[name])}`);
    }
    await expect(request.getByRole("button", { name: "Copy request headers" })).toBeVisible();
    // Pretty-printed, and copied as sent.
    await expect(request.locator("pre").last()).toContainText('"message": "A test event from Tributary"');
    await expect(request.locator("pre").last()).toContainText(`"sequence": ${JSON.parse(sent.body).sequence}`);
    await expect(request.getByRole("button", { name: "Copy request body" })).toBeVisible();
    await expect(request.getByRole("button", { name: "Copy request URL" })).toBeVisible();
    await screenshot(page, testInfo, "delivery-retrying");

    // Retry now: the second attempt goes out at once instead of in an hour. It fails too, which was
    // its last attempt: the delivery fails, and only Resend remains.
    state.failing = true;
    const before = state.received.length;
    await page.getByRole("button", { name: "Retry now" }).click();
    await expect(attempts.getByRole("listitem")).toHaveCount(2, { timeout: 30_000 });
    expect(state.received.length).toBe(before + 1);
    expect(state.received.at(-1)?.headers["webhook-id"]).toBe(sent.headers["webhook-id"]);
    await expect(page.getByRole("heading", { level: 1, name: /ENDPOINT_TEST/ })).toContainText("Failed");
    await expect(page.getByText("Failed after 2 attempts.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Retry now" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Resend" })).toBeVisible();
    await screenshot(page, testInfo, "delivery-failed");

    // The replay window: text inputs in 24-hour UTC, prefilled as the dashboard writes times, not the
    // browser's Los Angeles 12-hour picker.
    state.failing = false;
    await page.goto(endpointPath);
    await expect(page.getByText("Failing", { exact: true })).toBeVisible({ timeout: 90_000 });
    const from = page.getByLabel("Created from (UTC)");
    const to = page.getByLabel("To (UTC)");
    await expect(from).toHaveAttribute("type", "text");
    await expect(from).toHaveValue(/^\d{4}-\d\d-\d\d [0-2]\d:[0-5]\d$/);
    await expect(to).toHaveValue(/^\d{4}-\d\d-\d\d [0-2]\d:[0-5]\d$/);

    // Bad input is named by its field.
    await from.fill("2026-13-01 10:00");
    await to.fill("tomorrow at 3 pm");
    await page.getByRole("button", { name: "Replay failed…" }).click();
    await expect(from).toHaveAttribute("aria-invalid", "true");
    await expect(from).toHaveAccessibleDescription(/^Created from: write it as YYYY-MM-DD HH:MM, 24-hour, in UTC/);
    await expect(to).toHaveAccessibleDescription(/^To: write it as YYYY-MM-DD HH:MM/);
    await from.fill(utc(new Date(Date.now() + 3_600_000)));
    await to.fill(utc(new Date(Date.now() - 3_600_000)));
    await page.getByRole("button", { name: "Replay failed…" }).click();
    await expect(to).toHaveAccessibleDescription("To: must be after Created from");
    await expect(from).not.toHaveAttribute("aria-invalid", "true");

    // A window of UTC minutes around now holds the failed delivery; read as Los Angeles time it would not.
    const start = utc(new Date(Date.now() - 10 * 60_000));
    const end = utc(new Date(Date.now() + 10 * 60_000));
    await from.fill(start);
    await to.fill(end);
    await page.getByRole("button", { name: "Replay failed…" }).click();
    const dialog = page.getByRole("dialog", { name: "Replay 1 failed delivery?" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`created between ${start} UTC and ${end} UTC`);
    await dialog.getByRole("button", { name: "Replay" }).click();
    await expect(page.getByText("1 delivery queued again.")).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Failed" })).toHaveCount(0, { timeout: 30_000 });
    await page.reload();
    await expect(page.getByText("Enabled", { exact: true })).toBeVisible({ timeout: 90_000 });
  } finally {
    server.close();
  }
});
