// The connection page live (a sync started from the page appears and finishes without a reload), the
// data browser (columns from the contract, find by text and by id, JSON with copy, a table that scrolls
// inside its card on a phone) and the API reference and README pages, with screenshots at 1440 and 390 px.
import { createHash, randomBytes } from "node:crypto";
import { expect, type Page, type TestInfo } from "@playwright/test";
import { apiKey, database, signIn, test } from "./support";

async function signInAt(page: Page) {
  await page.goto("/connections");
  await signIn(page);
  await expect(page).toHaveURL(/\/connections$/, { timeout: 90_000 });
}

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, caret: "initial" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

async function demoConnection(page: Page): Promise<string> {
  const link = page.getByRole("link", { name: /Demo Outfitters/ }).first();
  await expect(link).toBeVisible({ timeout: 60_000 });
  return (await link.getAttribute("href"))!.split("/").pop()!;
}

test("a sync started from the page appears on the timeline and finishes there without a reload", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signInAt(page);
  const id = await demoConnection(page);
  await page.goto(`/connections/${id}`);
  const timeline = page.getByRole("region", { name: "Sync timeline" });
  await expect(timeline.getByRole("img", { name: /^Batch \d+: / }).first()).toBeVisible({ timeout: 120_000 });
  // Let the initial batches end, so the manual sync is the run that starts and ends under watch.
  await expect(timeline.getByText("Live", { exact: true })).toBeHidden({ timeout: 180_000 });
  const manual = timeline.getByRole("img", { name: /^Manual sync: / });
  const before = await manual.count();

  let reloads = 0;
  page.on("load", () => reloads++);
  await page.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Sync queued|already queued/ })).toBeVisible();
  await expect.poll(() => manual.count(), { timeout: 90_000 }).toBeGreaterThan(before);
  await screenshot(page, testInfo, "connection-live-1440");
  // Finished: the new bar is drawn as succeeded, and the live badge goes out.
  await expect(timeline.locator('[data-mark="segment"][data-outcome="succeeded"]').first()).toBeVisible();
  await expect(timeline.getByRole("table")).toContainText("Manual sync");
  await expect
    .poll(async () => (await timeline.getByRole("row").filter({ hasText: "Manual sync" }).last().textContent()) ?? "", { timeout: 120_000 })
    .toMatch(/Succeeded/);
  expect(reloads).toBe(0);
});

test("the data browser shows an object's columns, finds records by text and by id, and opens their JSON", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signInAt(page);
  const id = await demoConnection(page);
  await page.goto(`/connections/${id}`);
  const browser = page.locator("#data-browser");
  const object = browser.getByLabel("Object");
  // Ready once the first batch is done.
  await expect(browser.getByText("Choose an object to page through its records.")).toBeVisible({ timeout: 180_000 });
  await object.selectOption("orders");
  const table = browser.getByRole("table", { name: "orders records" });
  await expect(table).toBeVisible({ timeout: 60_000 });
  for (const header of ["Id", "Number", "Customer", "Total", "Payment", "Updated"])
    await expect(table.getByRole("columnheader", { name: header, exact: true })).toBeVisible();
  const rows = table.locator("tbody > tr");
  await expect(rows.first()).toBeVisible();
  const firstId = (await rows.first().locator("code").first().textContent())!.trim();
  const number = (await rows.first().locator("td").nth(1).textContent())!.trim();
  expect(number).toMatch(/\d/);
  await screenshot(page, testInfo, "data-browser-1440");

  // By text: the order number, lower-cased works the same.
  await browser.getByLabel("Find by").selectOption("search");
  await browser.locator("#data-browser-query").fill(number.toLowerCase());
  await browser.getByRole("button", { name: "Search", exact: true }).click();
  await expect.poll(() => rows.count()).toBeGreaterThan(0);
  await expect(rows.first().locator("td").nth(1)).toContainText(number);
  // A wildcard is a literal character: nothing matches it.
  await browser.locator("#data-browser-query").fill("%");
  await browser.getByRole("button", { name: "Search", exact: true }).click();
  await expect(browser.getByText(/No orders match the text “%”/)).toBeVisible();

  // By id, exact.
  await browser.getByLabel("Find by").selectOption("id");
  await browser.locator("#data-browser-query").fill(firstId);
  await browser.getByRole("button", { name: "Search", exact: true }).click();
  await expect.poll(() => rows.count()).toBe(1);
  await expect(rows.first().locator("code").first()).toHaveText(firstId);
  await table.getByRole("button", { name: `Show the JSON of ${firstId}` }).click();
  await expect(table.locator("pre")).toContainText(`"id": "${firstId}"`);
  await expect(table.getByRole("button", { name: `Copy JSON of ${firstId}` })).toBeVisible();
  await expect(table.getByRole("button", { name: `Copy id ${firstId}` })).toBeVisible();
  await browser.getByRole("button", { name: "Clear" }).click();
  await expect.poll(() => rows.count()).toBeGreaterThan(1);

  // The route names a bad field.
  const bad = await page.request.get(`/api/dashboard/connections/${id}/records?object=orders&search=${"x".repeat(101)}`);
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ field: "search", error_code: "INVALID_FIELD", error_type: "INVALID_REQUEST" });

  // A phone: the table scrolls inside its card, the page itself does not.
  await page.setViewportSize({ width: 390, height: 844 });
  const container = browser.getByTestId("data-browser-table");
  await expect.poll(() => container.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
  // (Its sr-only headers once widened the page to 1,187 px: the table's frame is positioned now, and clips them.)
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await browser.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "data-browser-390");
});

test("a customer written through the API is marked as such in the data browser and the event log", async ({ page, request }, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signInAt(page);
  const id = await demoConnection(page);
  // The connection's access token, as the public token exchange would have given it (only its hash is stored).
  const token = `access_e2e_${randomBytes(12).toString("hex")}`;
  await database((client) =>
    client.query("update connections set access_token_hash = $1 where id = $2", [createHash("sha256").update(token).digest("hex"), id]),
  );
  const authorization = await apiKey();
  await page.goto(`/connections/${id}`);
  const browser = page.locator("#data-browser");
  await expect(browser.getByText("Choose an object to page through its records.")).toBeVisible({ timeout: 180_000 });

  const email = `kowhai.${Date.now()}@example.com`;
  const written = await request.post(`/api/v1/commerce/customers?access_token=${token}`, {
    headers: { authorization, "content-type": "application/json" },
    data: { email, first_name: "Kōwhai", last_name: "Rangi" },
  });
  expect(written.status(), await written.text()).toBe(201);
  const customer = ((await written.json()) as { record: { id: string; written_at: string } }).record;
  expect(customer.written_at).toBeTruthy();

  await browser.getByLabel("Object").selectOption("customers");
  const table = browser.getByRole("table", { name: "customers records" });
  await expect(table).toBeVisible({ timeout: 60_000 });
  await browser.getByLabel("Find by").selectOption("id");
  await browser.locator("#data-browser-query").fill(customer.id);
  await browser.getByRole("button", { name: "Search", exact: true }).click();
  const row = table.locator("tbody > tr").first();
  await expect(row.locator("code").first()).toHaveText(customer.id);
  await expect(row.getByText("API write", { exact: true })).toBeVisible();
  await table.getByRole("button", { name: `Show the JSON of ${customer.id}` }).click();
  await expect(table.getByText("written through the API")).toBeVisible();
  await expect(table.locator("pre")).toContainText(email);
  await browser.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "data-browser-written-1440");
  // A phone: the mark stays beside the id, and the page does not widen.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await row.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "data-browser-written-390");
  await page.setViewportSize({ width: 1440, height: 1000 });
  // The event log names the write's event, with no run: an API write.
  const log = page.locator("#event-log");
  await log.getByLabel("Record id").fill(customer.id);
  await log.getByRole("button", { name: "Search", exact: true }).click();
  const created = log.getByRole("row").filter({ hasText: "CUSTOMER_CREATED" });
  await expect(created).toHaveCount(1, { timeout: 30_000 });
  await expect(created.getByText("API write", { exact: true })).toBeVisible();
  await log.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "event-log-written-1440");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await created.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "event-log-written-390");
  await page.setViewportSize({ width: 1440, height: 1000 });
  // A record only syncs wrote carries no mark.
  await browser.getByRole("button", { name: "Clear" }).click();
  await expect.poll(() => table.locator("tbody > tr").count()).toBeGreaterThan(1);
  expect(await table.getByText("API write", { exact: true }).count()).toBeLessThan(await table.locator("tbody > tr").count());
});

test("the API reference renders the OpenAPI document by tag, and the README is in the app", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signInAt(page);
  await page.getByRole("link", { name: "API reference" }).first().click();
  await expect(page).toHaveURL(/\/api-reference$/);
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  const spec = (await (await page.request.get("/api/v1/openapi.json")).json()) as {
    tags: { name: string }[];
    paths: Record<string, Record<string, { summary: string }>>;
  };
  for (const tag of spec.tags) await expect(page.getByRole("heading", { name: tag.name, level: 2 })).toBeVisible();
  const [path, item] = Object.entries(spec.paths)[0];
  const [method, operation] = Object.entries(item)[0];
  const article = page.getByRole("article", { name: `${method.toUpperCase()} ${path}` });
  await expect(article).toContainText(operation.summary);
  await expect(article).toContainText("Responses");
  await expect(page.getByRole("article").filter({ hasText: "Request body" }).first()).toBeVisible();
  await screenshot(page, testInfo, "api-reference-1440");
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(page, testInfo, "api-reference-390");

  await page.goto("/readme");
  await expect(page.getByRole("heading", { name: "Quick start", level: 2 })).toBeVisible();
  await expect(page.locator("pre").first()).toBeVisible();
});
