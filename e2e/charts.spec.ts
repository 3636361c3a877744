// The time-series charts: the Overview's four over the synced demo data, the range switch fetching
// and drawing other buckets, a connection's three and an endpoint's deliveries. The endpoint and its
// deliveries are written into the server's database directly (finished ones, which the delivery
// worker leaves alone), so the chart's counts are known.
import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { E2E } from "./config";
import { signIn } from "./support";

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, caret: "initial" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** The page at a desktop's and a phone's width: the charts must fit both without scrolling sideways. */
async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(page.locator("[data-chart] .recharts-surface").first()).toBeVisible();
    await page.waitForTimeout(500);
    await screenshot(page, testInfo, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

const total = (chart: Locator, series: string) => chart.locator(`[data-total="${series}"]`);
const count = async (chart: Locator, series: string) => Number((await total(chart, series).textContent())!.replace(/[^0-9]/g, "") || "NaN");

/** The chart's drawn x-axis labels. */
const ticks = (chart: Locator) => chart.locator(".recharts-xAxis .recharts-cartesian-axis-tick-value").allTextContents();

test("the Overview, a connection and an endpoint chart their activity, and the range switch changes the buckets", async ({ page }, testInfo) => {
  test.setTimeout(900_000);
  await page.goto("/");
  await signIn(page);
  // The first visit compiles the page, minutes on a busy machine.
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 240_000 });

  // The demo connections' first runs end within a minute or two of the server's start: reload until the runs chart counts one.
  const charts = page.getByTestId("metric-charts");
  const runs = charts.locator('[data-chart="runs"]');
  await expect
    .poll(
      async () => {
        await page.reload();
        await expect(total(runs, "succeeded")).not.toHaveText("—", { timeout: 60_000 });
        return count(runs, "succeeded");
      },
      { timeout: 240_000, intervals: [5_000] },
    )
    .toBeGreaterThan(0);
  for (const chart of ["runs", "records", "requests", "deliveries"]) await expect(charts.locator(`[data-chart="${chart}"]`)).toBeVisible();
  expect(await count(charts.locator('[data-chart="records"]'), "created")).toBeGreaterThan(0);
  expect(await count(charts.locator('[data-chart="requests"]'), "requests")).toBeGreaterThan(0);
  // Drawn: stacked bars, hourly UTC ticks, and the totals in words for screen readers.
  await expect(runs.locator(".recharts-bar-rectangle path").first()).toBeVisible();
  expect((await ticks(runs)).every((tick) => /^\d\d:00$/.test(tick))).toBe(true);
  await expect(runs.locator(".sr-only")).toContainText(/Sync runs over the last 24 hours, per hour: [\d,]+ succeeded, [\d,]+ failed\./);
  await runs.locator(".recharts-bar-rectangle path").last().hover();
  await expect(runs.locator(".recharts-tooltip-wrapper")).toContainText(/\d{4}-\d\d-\d\d \d\d:00–\d\d:00 UTC/);
  await screenshot(page, testInfo, "overview-charts-24h");

  // 30 days: the page asks for daily buckets and labels them by date; 7 days: six-hour blocks.
  const range = page.getByRole("group", { name: "Chart range" });
  const month = page.waitForResponse((response) => response.url().includes("/api/dashboard/metrics") && response.url().includes("range=30d"));
  await range.getByRole("button", { name: "30 d" }).click();
  const monthly = await (await month).json();
  expect(monthly.charts.runs.buckets).toHaveLength(30);
  expect(monthly.bucketMs).toBe(24 * 3600_000);
  await expect(range.getByRole("button", { name: "30 d" })).toHaveAttribute("aria-pressed", "true");
  await expect(charts).toContainText("Over the last 30 days, per day");
  await expect.poll(async () => (await ticks(runs)).every((tick) => /^\d\d-\d\d$/.test(tick))).toBe(true);
  const week = page.waitForResponse((response) => response.url().includes("/api/dashboard/metrics") && response.url().includes("range=7d"));
  await range.getByRole("button", { name: "7 d" }).click();
  expect((await (await week).json()).charts.runs.buckets).toHaveLength(28);
  await expect(charts).toContainText("Over the last 7 days, per 6 hours");
  await screenshots(page, testInfo, "overview-charts-7d");

  // A bad range is refused, naming the field.
  const bad = await page.request.get("/api/dashboard/metrics?range=1y");
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ field: "range" });

  // A connection: runs, records, requests; no deliveries chart.
  await page.goto("/connections");
  const link = page.getByRole("link", { name: /Demo Outfitters/ }).first();
  await expect(link).toBeVisible({ timeout: 60_000 });
  const connectionId = (await link.getAttribute("href"))!.split("/").pop()!;
  await page.goto(`/connections/${connectionId}`);
  const connectionCharts = page.getByTestId("metric-charts");
  await expect(connectionCharts.locator('[data-chart="runs"] .recharts-bar-rectangle path').first()).toBeVisible({ timeout: 90_000 });
  expect(await count(connectionCharts.locator('[data-chart="runs"]'), "succeeded")).toBeGreaterThan(0);
  await expect(connectionCharts.locator("[data-chart]")).toHaveCount(3);
  await screenshots(page, testInfo, "connection-charts");

  // An endpoint with three finished deliveries this hour: two delivered, one failed. It wants only test
  // events (sent to the endpoint they name), so the demo connections' syncs fan nothing out to it meanwhile.
  const client = new pg.Client({ connectionString: E2E.databaseUrl });
  await client.connect();
  const endpointId = `whk_${"0".repeat(24)}C1`;
  try {
    const { rows } = await client.query("select organization_id, environment from connections where id = $1", [connectionId]);
    const [{ organization_id: org, environment }] = rows;
    await client.query(
      `insert into webhook_endpoints (id, organization_id, environment, url, description, event_types, secret_encrypted, created_at, updated_at)
       values ($1, $2, $3, 'https://charts.example.invalid/hooks', 'Charts receiver', array['ENDPOINT_TEST']::text[], 'unused', now(), now()) on conflict (id) do nothing`,
      [endpointId, org, environment],
    );
    for (const [n, status] of (["succeeded", "succeeded", "failed"] as const).entries()) {
      const eventId = `evt_${"0".repeat(24)}C${n}`;
      await client.query(
        `insert into events (id, organization_id, environment, type, data, created_at, fanned_out_at) values ($1, $2, $3, 'ENDPOINT_TEST', '{}', now(), now()) on conflict (id) do nothing`,
        [eventId, org, environment],
      );
      await client.query(
        `insert into deliveries (id, organization_id, environment, endpoint_id, event_id, status, attempt_count, next_attempt_at, last_attempt_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, 1, null, now(), now(), now()) on conflict (id) do nothing`,
        [`dlv_${"0".repeat(24)}C${n}`, org, environment, endpointId, eventId, status],
      );
    }
  } finally {
    await client.end();
  }
  await page.goto(`/webhooks/${endpointId}`);
  const deliveries = page.getByTestId("metric-charts").locator('[data-chart="deliveries"]');
  await expect(total(deliveries, "delivered")).toHaveText("2", { timeout: 90_000 });
  await expect(total(deliveries, "failed")).toHaveText("1");
  await expect(total(deliveries, "retrying")).toHaveText("0");
  await expect(deliveries.locator(".recharts-bar-rectangle path").first()).toBeVisible();
  await screenshots(page, testInfo, "endpoint-charts");
});
