import { expect } from "@playwright/test";
import { E2E } from "./config";
import { signIn, test } from "./support";

const SECTIONS = ["Overview", "Connections", "Platforms", "Sync configuration", "Webhooks", "Sync jobs", "API keys", "Settings"];

test("a dashboard page without a session sends you to sign-in", async ({ page }) => {
  await page.goto("/webhooks");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fwebhooks$/);
  await expect(page.getByRole("heading", { name: "Sign in to Tributary" })).toBeVisible();
});

test("a wrong password gets a clear message and no session", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, E2E.adminEmail, "not-the-password");
  // Scoped to the form: Next.js has a route announcer with role="alert" too. The first sign-in
  // compiles next-auth's route in dev mode.
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password. Check both and try again.", { timeout: 60_000 });
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("too many wrong passwords lock the email, with a message saying for how long", async ({ page }) => {
  // An email with no account: it is throttled exactly like one (5 failures, then a minute's lock).
  const email = `nobody.${Date.now()}@example.com`;
  await page.goto("/sign-in");
  const alert = page.locator("form").getByRole("alert");
  // Each attempt waits for next-auth's answer to it, so the five are five.
  const attempt = async (password: string) => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    const answered = page.waitForResponse((response) => response.url().includes("/api/auth/callback/credentials"));
    await page.getByRole("button", { name: "Sign in" }).click();
    await answered;
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  };
  for (let i = 1; i <= 5; i++) {
    await attempt(`wrong password ${i}`);
    await expect(alert).toHaveText("Wrong email or password. Check both and try again.");
  }
  await attempt("wrong password 6");
  await expect(alert).toHaveText("Too many attempts; try again in 1 minute.");
});

test("after sign-in a callbackUrl pointing at another site ends on the dashboard", async ({ page }) => {
  // `/%5Cevil.example/x` is `/\evil.example/x`, which browsers read as //evil.example/x.
  await page.goto("/sign-in?callbackUrl=/%5Cevil.example/x");
  await signIn(page, E2E.adminEmail, E2E.adminPassword);
  // The first visit compiles the page in dev mode.
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(`${E2E.baseUrl}/`);
  // Signed in, the sign-in page redirects at once: the same rule on the server's redirect.
  for (const target of ["/%09/evil.example/x", "//evil.example/x", "https://evil.example/x", "javascript:alert(1)"]) {
    await page.goto(`/sign-in?callbackUrl=${target}`);
    await expect(page).toHaveURL(`${E2E.baseUrl}/`);
  }
});

test("a copied session cookie stops working when its session signs out", async ({ page, browser }) => {
  await page.goto("/settings");
  await signIn(page, E2E.adminEmail, E2E.adminPassword);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible({ timeout: 60_000 });
  // Someone copies the cookie into another browser: it works there too, for now.
  const copy = await browser.newContext({ storageState: await page.context().storageState() });
  const theirs = await copy.newPage();
  await theirs.goto("/settings");
  await expect(theirs.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await theirs.goto("/settings");
  await expect(theirs).toHaveURL(/\/sign-in/);
  expect((await theirs.request.get("/api/dashboard/overview/running")).status()).toBe(401);
  // next-auth's own session endpoint describes no session for it either.
  expect(await (await theirs.request.get("/api/auth/session")).json()).toEqual({});
  await copy.close();
});

test("signs in, visits every section, switches environment and signs out", async ({ page }, testInfo) => {
  // Eight pages compiled on their first visit in dev mode: up to 16 s each on a loaded machine.
  test.slow();
  await page.goto("/connections");
  await signIn(page, E2E.adminEmail, E2E.adminPassword);
  // Back where the redirect came from (compiled on this first visit in dev mode).
  await expect(page).toHaveURL(/\/connections$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();

  const nav = page.getByRole("navigation", { name: "Sections" });
  for (const section of SECTIONS) {
    await nav.getByRole("link", { name: section, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible({ timeout: 60_000 });
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
