// The Connections pages as a team uses them: connect a sandbox Shopify store through Link from the
// dashboard (its access token shown once), find it in the list, open it and watch it become ready
// without reloading, backfill (confirmed, incremental syncs paused while it runs), sync now, browse
// its records and events, disable and re-enable it. A screenshot of every state is saved with the
// test's output.
import { expect, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { E2E } from "./config";
import { clickToClose, signIn, test } from "./support";

const SANDBOX = `http://127.0.0.1:${E2E.sandboxPort}`;
const STORE = "e2e-dashboard-store";

async function signInAt(page: Page) {
  await page.goto("/connections");
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();
}

/** Every platform request of the store takes this long: slow enough to watch a run in progress. */
async function latency(request: APIRequestContext, ms: number) {
  const response = await request.patch(`${SANDBOX}/control/accounts/shopify/${STORE}/faults`, { data: { latency_ms: ms } });
  expect(response.status(), await response.text()).toBe(200);
}

let shots = 0;
async function shot(page: Page, testInfo: TestInfo, name: string) {
  shots++;
  // caret "initial": hiding the caret styles inputs, which React would report as a hydration mismatch.
  await page.screenshot({ path: testInfo.outputPath(`connections-${String(shots).padStart(2, "0")}-${name}.png`), fullPage: true, caret: "initial" });
}

test("connect a store through Link, watch it become ready, backfill, sync, browse, disable and re-enable", async ({ page, request }, testInfo) => {
  test.setTimeout(240_000);
  const created = await request.post(`${SANDBOX}/control/accounts`, { data: { platform: "shopify", id: STORE, size: 120, seed: 23, rate_limited: false } });
  expect(created.status(), await created.text()).toBe(201);
  // Slow enough that the first batch is still running when the test reaches the connection's page,
  // however fast the machine; lifted once the in-progress state has been seen.
  await latency(request, 5000);

  await signInAt(page);
  await expect(page.getByRole("table")).toBeVisible();
  await shot(page, testInfo, "list");

  // Connect an account: Link opens over the dashboard, the store is chosen and consent given in Shopify's window.
  await page.getByRole("button", { name: "Connect an account" }).click();
  const link = page.frameLocator('iframe[title^="Connect an account"]');
  await expect(link.getByRole("heading", { name: "Connect an account" })).toBeVisible();
  await link
    .getByRole("list", { name: "Platforms" })
    .getByRole("button", { name: /Shopify/ })
    .click();
  await expect(link.getByRole("heading", { name: "Connect Shopify" })).toBeVisible();
  await link.getByLabel("Store address").fill(STORE);
  await shot(page, testInfo, "link-open");
  const [consent] = await Promise.all([page.context().waitForEvent("page"), link.getByRole("button", { name: "Continue to Shopify" }).click()]);
  await expect(consent.getByRole("heading", { name: "Shopify: authorize access" })).toBeVisible();
  await clickToClose(consent, consent.getByRole("button", { name: "Allow" }));

  // Link closes; the public token was exchanged server side and the access token is shown once.
  const connected = page.getByRole("dialog", { name: "Account connected" });
  await expect(connected).toBeVisible();
  await expect(page.locator("iframe")).toHaveCount(0);
  await expect(connected.getByRole("textbox", { name: "Access token" })).toHaveValue(/^access_/);
  await expect(connected.getByRole("button", { name: "Copy access token" })).toBeVisible();
  const connectionId = await connected.getByRole("textbox", { name: "Connection ID" }).inputValue();
  await shot(page, testInfo, "access-token");
  await connected.getByRole("button", { name: "I have stored the token" }).click();
  await expect(connected).toBeHidden();

  // The list refreshed with the new connection; search finds it by its store's id.
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: STORE }) });
  await expect(row).toBeVisible();
  await expect(row.getByText("Initial sync")).toBeVisible();
  await page.getByRole("searchbox", { name: "Search" }).fill(STORE.toUpperCase());
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("1 connection matches")).toBeVisible();
  await shot(page, testInfo, "list-search");

  // Its page: the first batch in progress, then ready, without a reload.
  await row.getByRole("link", { name: STORE }).click();
  await expect(page.getByRole("heading", { level: 1, name: STORE })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/connections/${connectionId}$`));
  await expect(page.getByRole("region", { name: "Sync timeline" })).toBeVisible();
  const status = page.getByRole("region", { name: "Connection status" });
  const inProgress = page.getByRole("region", { name: "Runs in progress" });
  const recentRuns = page.locator("section").filter({ has: page.getByRole("heading", { name: "Recent sync runs" }) });
  await expect(status.getByText("Reads answer 409 until the first batch is done")).toBeVisible();
  await expect(inProgress).toContainText("Initial batch 1 of");
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await shot(page, testInfo, "initial-sync-running");
  await latency(request, 0);
  await expect(status.getByText("Data reads are served")).toBeVisible({ timeout: 60_000 });
  // Ready after batch 1; the historical batch may still be running for a while.
  await expect(inProgress).toHaveCount(0, { timeout: 90_000 });
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expect(page.getByRole("row", { name: /orders/ }).first()).toBeVisible();
  await shot(page, testInfo, "ready");

  // Backfill: choose objects, read the confirmation, start it; incremental syncs pause while it runs.
  // Slow enough that the backfill is still running while its pause is checked.
  await latency(request, 3000);
  await page.getByRole("button", { name: "Backfill…" }).click();
  const backfill = page.getByRole("dialog", { name: "Backfill" });
  await backfill.getByRole("button", { name: "Review backfill" }).click();
  await expect(backfill.getByText("Choose at least one object to backfill")).toBeVisible();
  await backfill.getByLabel("orders").check();
  await backfill.getByLabel("customers").check();
  await shot(page, testInfo, "backfill-choose");
  await backfill.getByRole("button", { name: "Review backfill" }).click();
  const confirm = page.getByRole("dialog", { name: "Start this backfill?" });
  await expect(confirm).toContainText("Incremental syncs pause until the backfill ends.");
  await expect(confirm).toContainText("customers, orders");
  await shot(page, testInfo, "backfill-confirm");
  await confirm.getByRole("button", { name: "Start backfill" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Backfill of customers, orders queued" })).toBeVisible();
  await expect(status.getByText("Incremental syncs are paused while a backfill runs")).toBeVisible();
  await expect(inProgress).toContainText("Backfill");
  await expect(status.getByText("Paused for a backfill")).toBeVisible();
  await shot(page, testInfo, "backfill-running");
  await latency(request, 0);
  await expect(status.getByText("Incremental syncs are paused while a backfill runs")).toBeHidden({ timeout: 60_000 });
  await expect(recentRuns.getByRole("row").filter({ hasText: "Backfill" }).getByText("Succeeded")).toBeVisible();

  // Sync now queues a manual run, which shows up in the runs.
  await page.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Sync queued|already queued/ })).toBeVisible();
  await expect(recentRuns.getByRole("row").filter({ hasText: "Manual" })).toBeVisible();
  await shot(page, testInfo, "sync-now");

  // The event log, filtered to the backfill's start.
  await page.getByLabel("Type", { exact: true }).selectOption("BACKFILL_STARTED");
  const log = page.getByRole("table", { name: "Events of type BACKFILL_STARTED" });
  await expect(log.getByRole("row")).toHaveCount(2);
  await log.getByRole("button", { name: "Data" }).click();
  await expect(log).toContainText('"objects": [');
  await shot(page, testInfo, "event-log");

  // The data browser: orders, a record's JSON, the next page.
  await page.getByLabel("Object", { exact: true }).selectOption("orders");
  const orders = page.getByRole("table", { name: "orders records" });
  const rows = orders.locator("tbody > tr");
  await expect(rows).toHaveCount(20);
  const firstId = (await rows.first().locator("code").first().textContent())!.trim();
  await orders.getByRole("button", { name: `Show the JSON of ${firstId}` }).click();
  await expect(orders.locator("pre").first()).toContainText('"id"');
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.getByText("Page 2")).toBeVisible();
  await expect(rows.first().locator("code").first()).not.toHaveText(firstId);
  await shot(page, testInfo, "data-browser");

  // Disable (confirmed), then re-enable; the health history records both.
  await page.getByRole("button", { name: "Disable…" }).click();
  const disable = page.getByRole("dialog", { name: "Disable this connection?" });
  await disable.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(status.getByText("Disabled: disabled by user")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sync now" })).toBeDisabled();
  await expect(page.getByRole("list", { name: "Health history" })).toContainText("CONNECTION_DISABLED");
  await shot(page, testInfo, "disabled");
  await page.getByRole("button", { name: "Re-enable" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Connection re-enabled" })).toBeVisible();
  await expect(status.getByText("Disabled: disabled by user")).toBeHidden();
  await expect(page.getByRole("button", { name: "Sync now" })).toBeEnabled();
  await expect(page.getByRole("list", { name: "Health history" }).getByRole("listitem").first()).toContainText("CONNECTION_UPDATED");
  await shot(page, testInfo, "re-enabled");

  // Delete: only once the account's name is typed; the list then says so and no longer has it.
  await page.getByRole("button", { name: "Delete…" }).click();
  const remove = page.getByRole("dialog", { name: "Delete this connection?" });
  const typed = remove.getByLabel(`Type ${STORE} to confirm`);
  await typed.fill("not the name");
  await expect(remove.getByRole("button", { name: "Delete connection" })).toBeDisabled();
  await typed.fill(STORE);
  await shot(page, testInfo, "delete-confirm");
  await remove.getByRole("button", { name: "Delete connection" }).click();
  await expect(page).toHaveURL(/\/connections\?deleted=/);
  await expect(page.getByRole("status").filter({ hasText: `Deleted the connection ${STORE}` })).toBeVisible();
  await expect(page.getByRole("link", { name: STORE, exact: true })).toHaveCount(0);
  await shot(page, testInfo, "deleted");
});
