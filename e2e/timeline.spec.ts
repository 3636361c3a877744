// The connection timeline on a demo connection's detail page. The Shopify demo store's initial sync
// takes seconds (bulk operations), so the page may open after it ended: a manual sync started from the
// page adds bars while the chart is watched.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { signIn } from "./support";

const DETAIL_PATH = (id: string) => `/connections/${id}`;

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, caret: "initial" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("the sync timeline fills as runs go, shows a bar's statistics and zooms", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await page.goto("/connections");
  await signIn(page);
  await expect(page).toHaveURL(/\/connections$/, { timeout: 90_000 });
  const link = page.getByRole("link", { name: /Demo Outfitters/ }).first();
  await expect(link).toBeVisible({ timeout: 60_000 });
  const id = (await link.getAttribute("href"))!.split("/").pop()!;
  await page.goto(DETAIL_PATH(id));

  const timeline = page.getByRole("region", { name: "Sync timeline" });
  await expect(timeline).toBeVisible();
  // The first batch's bar, on the runs lane, then objects as the runner gets to them.
  const batch1 = timeline.getByRole("img", { name: /^Batch 1: / }).first();
  await expect(batch1).toBeVisible({ timeout: 90_000 });
  await screenshot(page, testInfo, "timeline-initial-sync");

  // Filling without a reload (React Query polls while the run goes on): bars appear, or the running
  // ones grow; at least one object finishes.
  const segments = timeline.locator('[data-mark="segment"]');
  // Batch 1 (the last month, by default) may have ended before the page opened: the bars of every run count.
  const runs = timeline.getByRole("img", { name: /^Batch \d+: / });
  const signature = async () => `${await segments.count()}|${(await runs.evaluateAll((bars) => bars.map((bar) => bar.getAttribute("aria-label")))).join(";")}`;
  const first = await signature();
  await page.getByRole("button", { name: "Sync now" }).click();
  // Queued, or (while a history batch is still running) the next batch made due: each an answer, and bars follow either way.
  await expect(page.getByRole("status").filter({ hasText: /Sync queued|already queued|Nothing to start/ })).toBeVisible();
  await expect.poll(signature, { timeout: 60_000, intervals: [2_000] }).not.toBe(first);
  const finished = timeline.locator('[data-mark="segment"][data-outcome="succeeded"]');
  await expect.poll(() => finished.count(), { timeout: 120_000 }).toBeGreaterThan(0);
  await screenshot(page, testInfo, "timeline-filling");

  // Hover a finished bar: its statistics. While runs go on the axis grows with the time and a bar a few
  // pixels wide can slide from under the pointer (its tooltip closes): hover again until all are read.
  const tooltip = page.getByRole("tooltip");
  await expect(async () => {
    await finished.first().hover();
    for (const text of ["Duration", "Records created", "429 responses", "Retries"]) await expect(tooltip).toContainText(text, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await screenshot(page, testInfo, "timeline-tooltip");

  // The keyboard reaches the same statistics: focus a bar, arrow to the next one.
  await page.mouse.move(0, 0);
  await batch1.focus();
  await expect(tooltip).toContainText("Batch 1");
  await page.keyboard.press("ArrowDown");
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText("Batch 1 ·");
  await page.keyboard.press("Escape");

  // Zoom presets, drag-to-zoom, reset.
  const zoom = timeline.getByRole("group", { name: "Zoom" });
  await zoom.getByRole("button", { name: "1h", exact: true }).click();
  await expect(zoom.getByRole("button", { name: "1h", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(timeline).toContainText(/\d+ runs? in .* UTC/);
  await screenshot(page, testInfo, "timeline-zoom-1h");
  await zoom.getByRole("button", { name: "7d", exact: true }).click();
  await expect(zoom.getByRole("button", { name: "7d", exact: true })).toHaveAttribute("aria-pressed", "true");
  await screenshot(page, testInfo, "timeline-zoom-7d");

  await zoom.getByRole("button", { name: "All", exact: true }).click();
  const plot = timeline.getByRole("group", { name: /^Sync timeline: / });
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.02, box.y + 50);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + 60, { steps: 8 });
  await page.mouse.up();
  const reset = timeline.getByRole("button", { name: "Reset zoom" });
  await expect(reset).toBeVisible();
  await expect(zoom.getByRole("button", { pressed: true })).toHaveCount(0);
  await expect(timeline.getByRole("img", { name: /^Batch 1: / }).first()).toBeVisible();
  await screenshot(page, testInfo, "timeline-drag-zoomed");
  await reset.click();
  await expect(zoom.getByRole("button", { name: "All", exact: true })).toHaveAttribute("aria-pressed", "true");

  // The same runs as a table for screen readers.
  await expect(timeline.locator("table caption")).toContainText("Sync runs");
  await expect(timeline.getByRole("rowheader", { name: "Batch 1", includeHidden: true }).first()).toBeAttached();
  await screenshot(page, testInfo, "timeline-after");
});
