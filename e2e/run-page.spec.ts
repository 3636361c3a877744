// A sync run as a page, and the event log's search, on the demo Shopify store: a run id in the
// connection's recent runs opens the run (its objects, its platform requests with their statuses);
// after changes on the platform and a sync, the event log finds one record's events by its id within
// a UTC date range, and names the field of a bad date.
import pg from "pg";
import { expect, type Page, type TestInfo } from "@playwright/test";
import { E2E } from "./config";
import { signIn, test } from "./support";

const SANDBOX = `http://127.0.0.1:${E2E.sandboxPort}`;

/** Full-page screenshots at desktop and phone widths, attached to the report. */
async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const path = testInfo.outputPath(`${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true, caret: "initial" });
    await testInfo.attach(`${name}-${width}`, { path, contentType: "image/png" });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

const utcMinute = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ");

test("a run id opens the run's page, and the event log finds a record's events in a date range", async ({ page, request }, testInfo) => {
  test.setTimeout(300_000);
  await page.goto("/connections");
  await signIn(page);
  await expect(page).toHaveURL(/\/connections$/, { timeout: 90_000 });
  const link = page.getByRole("link", { name: /Demo Outfitters/ }).first();
  await expect(link).toBeVisible({ timeout: 60_000 });
  const connectionId = (await link.getAttribute("href"))!.split("/").pop()!;
  await link.click();

  // The first batch, once it has succeeded: its id in the recent runs is a link to its page. Not a run
  // a platform's webhook started (earlier specs write to the store, and Shopify tells Tributary so):
  // such a run fetches only the object that changed.
  const recent = page.locator("section").filter({ has: page.getByRole("heading", { name: "Recent sync runs" }) });
  const succeeded = recent.getByRole("row").filter({ hasText: "Succeeded" }).filter({ hasNotText: "Platform triggered" }).first();
  await expect(succeeded).toBeVisible({ timeout: 120_000 });
  const runLink = succeeded.getByRole("link", { name: /^run_/ });
  const runId = (await runLink.textContent())!.trim();
  await runLink.click();
  await expect(page).toHaveURL(new RegExp(`/connections/${connectionId}/runs/${runId}$`), { timeout: 60_000 });
  await expect(page.getByTestId("run-status")).toHaveText("Succeeded");

  const objects = page.getByRole("row", { name: "orders", exact: true });
  await expect(objects).toBeVisible();
  const requests = page.locator("section").filter({ has: page.getByRole("heading", { name: "Platform requests" }) });
  const rows = requests.getByRole("row");
  await expect(rows.nth(1)).toBeVisible();
  // Cells: #, status, latency, request, object, time.
  await expect(rows.nth(1).getByRole("cell").nth(1)).toHaveText(/^200/);
  await expect(rows.nth(1)).toContainText(/(GET|POST) \/shopify\/demo-store\//);
  await screenshots(page, testInfo, "run-page");

  // Changes on the platform, then a sync: the incremental run announces each changed record.
  const changed = await request.post(`${SANDBOX}/control/accounts/shopify/demo-store/changes`, { data: { random: 6, seed: 19 } });
  expect(changed.ok()).toBe(true);
  await page.getByRole("link", { name: "Demo Outfitters" }).first().click();
  // The connection's page renders on the server again: slow in dev mode on a busy machine.
  await expect(page).toHaveURL(new RegExp(`/connections/${connectionId}$`), { timeout: 60_000 });
  await page.getByRole("button", { name: "Sync now" }).click();
  const db = new pg.Client({ connectionString: E2E.databaseUrl });
  await db.connect();
  let record: { external_id: string; type: string } | undefined;
  try {
    await expect
      .poll(
        async () => {
          const found = await db.query<{ external_id: string; type: string }>(
            "select external_id, type from events where connection_id = $1 and external_id is not null order by created_at desc limit 1",
            [connectionId],
          );
          record = found.rows[0];
          return record?.external_id ?? null;
        },
        { timeout: 120_000, intervals: [2_000] },
      )
      .not.toBeNull();
  } finally {
    await db.end();
  }

  const log = page.locator("#event-log");
  const today = new Date();
  await log.getByLabel("Record id").fill(record!.external_id);
  await log.getByLabel("From (UTC)").fill(utcMinute(new Date(today.getTime() - 3_600_000)));
  await log.getByLabel("To (UTC)").fill(utcMinute(new Date(today.getTime() + 3_600_000)));
  await log.getByRole("button", { name: "Search" }).click();
  const found = log.getByRole("table").getByRole("row");
  await expect(found.nth(1)).toContainText(record!.type);
  await found.nth(1).getByRole("button", { name: "Data" }).click();
  await expect(log.locator("pre").first()).toContainText(`"id": "${JSON.stringify(record!.external_id).slice(1, -1)}"`);
  await screenshots(page, testInfo, "event-log-search");

  // A range that ends before the record changed finds nothing; a bad date names its field.
  await log.getByLabel("To (UTC)").fill("2020-01-01 00:00");
  await log.getByLabel("From (UTC)").fill("");
  await log.getByRole("button", { name: "Search" }).click();
  await expect(log.getByText("No event matches this search.")).toBeVisible();
  await log.getByLabel("From (UTC)").fill("yesterday");
  await log.getByRole("button", { name: "Search" }).click();
  await expect(log.getByRole("alert")).toContainText("from:");
  const bad = await page.request.get(`/api/dashboard/connections/${connectionId}/events?record_id=${encodeURIComponent(record!.external_id)}&to=soon`);
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ field: "to" });
});
