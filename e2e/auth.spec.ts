import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./config";

const SECTIONS = ["Overview", "Connections", "Platforms", "Sync configuration", "Webhooks", "Sync jobs", "API keys", "Settings"];

async function signIn(page: Page, password: string) {
  await page.getByLabel("Email").fill(E2E.adminEmail);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a dashboard page without a session sends you to sign-in", async ({ page }) => {
  await page.goto("/webhooks");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fwebhooks$/);
  await expect(page.getByRole("heading", { name: "Sign in to Tributary" })).toBeVisible();
});

test("a wrong password gets a clear message and no session", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, "not-the-password");
  // Scoped to the form: Next.js has a route announcer with role="alert" too.
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password. Check both and try again.");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("signs in, visits every section, switches environment and signs out", async ({ page }, testInfo) => {
  await page.goto("/connections");
  await signIn(page, E2E.adminPassword);
  // Back where the redirect came from.
  await expect(page).toHaveURL(/\/connections$/);
  await expect(page.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();

  const nav = page.getByRole("navigation", { name: "Sections" });
  for (const section of SECTIONS) {
    await nav.getByRole("link", { name: section, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
    await expect(nav.getByRole("link", { name: section, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByText("This page could not be loaded")).toHaveCount(0);
    // Every page, as the seeded demo shows it: kept as a test artifact to look at.
    await page.screenshot({ path: testInfo.outputPath(`page-${section.toLowerCase().replace(/\s+/g, "-")}.png`), fullPage: true });
  }

  // Settings shows the seeded organization and its admin.
  await expect(page.getByText("Demo Company").first()).toBeVisible();
  await expect(page.getByRole("main").getByText(E2E.adminEmail)).toBeVisible();

  const environment = page.getByRole("group", { name: "Environment" });
  await expect(environment.getByRole("button", { name: "sandbox" })).toHaveAttribute("aria-pressed", "true");
  await environment.getByRole("button", { name: "production" }).click();
  await expect(environment.getByRole("button", { name: "production" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText("Sandbox: connections here use the emulated platforms")).toHaveCount(0);
  await page.reload();
  await expect(environment.getByRole("button", { name: "production" })).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("the Inngest endpoint serves Tributary's functions", async ({ request }) => {
  const response = await request.get("/api/inngest");
  expect(response.ok()).toBe(true);
  const body = await response.json();
  expect(body.function_count).toBeGreaterThanOrEqual(1);
});

test("the health endpoint reports the database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ database: "ok" });
});
