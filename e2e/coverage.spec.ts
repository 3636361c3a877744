// Field coverage: from the sidebar to the accounting tab, where QuickBooks' invoices are measured once
// the demo connection has synced (every invoice has a total; the lines' fields are measured over the
// lines), then the same page on a 390 px screen: the page does not scroll sideways, the tables do.
import { expect, test } from "@playwright/test";
import { E2E } from "./config";

test("the field coverage map", async ({ page }, testInfo) => {
  await page.goto("/coverage");
  await page.getByLabel("Email").fill(E2E.adminEmail);
  await page.getByLabel("Password").fill(E2E.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The first visit compiles the page in dev mode.
  await expect(page.getByRole("heading", { level: 1, name: "Field coverage" })).toBeVisible({ timeout: 120_000 });
  const sections = page.getByRole("navigation", { name: "Sections" });
  await expect(sections.getByRole("link", { name: "Field coverage" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("link", { name: "Commerce" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: /^Orders/ })).toBeVisible();

  await page.getByRole("navigation", { name: "Categories" }).getByRole("link", { name: "Accounting" }).click();
  // Slow machines: the page measures every accounting object while the demo connections sync.
  await expect(page).toHaveURL(/\/coverage\?category=accounting$/, { timeout: 60_000 });
  const invoices = page.getByTestId("coverage-invoices");
  await expect(invoices.getByRole("columnheader", { name: /QuickBooks Online/ })).toBeVisible({ timeout: 60_000 });
  // Xero, the second accounting platform, has its own column beside QuickBooks.
  await expect(invoices.getByRole("columnheader", { name: /Xero/ })).toBeVisible();
  // The demo connection syncs in the background: until its invoices are stored they are declared, not measured.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("sample-invoices-quickbooks")).toHaveText(/^[\d,]+ records? measured$/, { timeout: 5_000 });
  }).toPass({ timeout: 180_000 });

  const total = page.getByTestId("field-invoices-total");
  await expect(total.getByRole("rowheader")).toContainText("decimal");
  await expect(total.getByRole("rowheader")).toContainText("The invoice's total");
  const quickbooksTotal = total.locator('td[data-platform="quickbooks"]');
  await expect(quickbooksTotal).toHaveText(/100%/);
  await expect(quickbooksTotal.getByRole("meter")).toHaveAttribute("aria-valuenow", "100");
  const lineAccount = page.getByTestId("field-invoices-lines[].account_id");
  await expect(lineAccount.getByRole("rowheader")).toContainText("reference · nullable");
  await expect(lineAccount.locator('td[data-platform="quickbooks"] [data-coverage]')).toHaveAttribute("data-coverage", /^(filled|never-filled)$/);
  await page.screenshot({ path: testInfo.outputPath("coverage-1440.png"), fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Field coverage" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Field coverage" })).toBeVisible();
  const widths = await page.evaluate(() => {
    const frame = document.querySelector('[data-testid="coverage-invoices"] .overflow-x-auto');
    return {
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
      table: frame?.scrollWidth ?? 0,
      frame: frame?.clientWidth ?? 0,
    };
  });
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);
  expect(widths.frame).toBeLessThanOrEqual(widths.viewport);
  await page.screenshot({ path: testInfo.outputPath("coverage-390.png") });
});
