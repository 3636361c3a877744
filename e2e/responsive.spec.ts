// Every page at a laptop's width (1440 px) and a phone's (390 px), in light and dark mode: none may
// scroll sideways (wide tables scroll inside themselves, headers wrap, long ids break), and each is
// saved to test-results/screens/<page>-<width>-<scheme>.png for a person to look at. The demo
// organization of a fresh dev server has connections and a sync job; this test adds a webhook endpoint,
// a run of the job, a teammate with a temporary password (for the forced password change) and a Link
// session. The error page is shown by hiding the API keys table from the database for one request.
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { E2E } from "./config";
import { apiKey, database, signIn, test } from "./support";

const WIDTHS = [1440, 390] as const;
const SCHEMES = ["light", "dark"] as const;

/** Checks the page at every width and scheme, and saves what it looks like. */
async function capture(page: Page, name: string) {
  // Development's indicator and error overlay float over the page; a member never sees them.
  await page.addStyleTag({ content: "nextjs-portal { display: none !important; }" });
  // What loads after the page (the timeline, the event log) is drawn, not its skeleton.
  await expect(page.locator('.animate-pulse[aria-busy="true"]')).toHaveCount(0, { timeout: 90_000 });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const background: Record<string, string> = {};
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      // Let charts and the section row settle into the new width.
      await page.waitForTimeout(250);
      const { scrollWidth, innerWidth, body, culprits } = await page.evaluate(() => {
        // What sticks out of the window and is not inside something that scrolls or clips it, named for the failure message.
        const clipped = (element: Element) => {
          for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
            if (getComputedStyle(parent).overflowX !== "visible") return true;
          }
          return false;
        };
        // (What is absolutely positioned escapes a scrolling parent that is not positioned: an sr-only header in a table that scrolls.)
        const escapes = (element: Element) => ["absolute", "fixed"].includes(getComputedStyle(element).position);
        const wide = [...document.querySelectorAll("body *")].filter(
          (element) => element.getBoundingClientRect().right > window.innerWidth + 1 && (!clipped(element) || escapes(element)),
        );
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          body: getComputedStyle(document.body).backgroundColor,
          culprits: wide
            .slice(-3)
            .map((element) => `<${element.tagName.toLowerCase()} class="${element.getAttribute("class") ?? ""}">`)
            .join(", "),
        };
      });
      expect.soft(scrollWidth, `${name} at ${width} px (${colorScheme}) scrolls sideways: ${culprits}`).toBeLessThanOrEqual(innerWidth);
      background[colorScheme] = body;
      await page.screenshot({ path: `test-results/screens/${name}-${width}-${colorScheme}.png`, fullPage: true, caret: "initial", animations: "disabled" });
    }
    expect.soft(background.dark, `${name} follows the system's dark mode`).not.toBe(background.light);
  }
}

async function visit(page: Page, name: string, path: string, ready: (page: Page) => Promise<void>) {
  await page.goto(path);
  await ready(page);
  await capture(page, name);
}

const heading = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 90_000 });
};

/** A teammate who still has to choose their password, signed in in a browser of their own. */
async function teammate(page: Page, browser: Browser): Promise<Page> {
  // The page compiles on its first visit in dev mode, and on CI's machine, busy with the syncs of
  // every earlier spec, that took over 90 s twice. Compile it under the admin's session (it sends a
  // chosen password on to Settings), so the teammate's sign-in waits only for its own redirect.
  await page.goto("/change-password", { timeout: 240_000 });
  await expect(page).toHaveURL(/\/settings$/);
  const email = `grace.${Date.now()}@example.com`;
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Name", { exact: true }).fill("Grace Hopper");
  await page.getByRole("button", { name: "Add member" }).click();
  const password = await page.getByLabel("Temporary password").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  const theirs = await (await opened(browser.newContext())).newPage();
  await theirs.goto("/settings");
  await signIn(theirs, email, password);
  await expect(theirs).toHaveURL(/\/change-password$/, { timeout: 120_000 });
  return theirs;
}

type Seeded = {
  admin: Awaited<ReturnType<BrowserContext["storageState"]>>;
  connection: string;
  syncRun: string;
  endpoint: string;
  delivery: string;
  job: string;
  run: string;
};
let seeded: Seeded;

test.beforeAll(async ({ browser }) => {
  // Every page compiles on its first visit in dev mode, slowly on a busy machine.
  test.setTimeout(600_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/");
  await signIn(page, E2E.adminEmail, E2E.adminPassword);
  await heading("Overview")(page);

  // A demo connection; an endpoint (a closed port: its deliveries fail, which shows more).
  await page.goto("/connections");
  await expect(page.getByRole("table")).toBeVisible({ timeout: 90_000 });
  const connection = (await page.getByRole("table").getByRole("link").first().getAttribute("href"))!;
  await page.goto("/webhooks/new");
  await expect(page.getByRole("button", { name: "Create endpoint" })).toBeEnabled({ timeout: 90_000 });
  await page.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/a-rather-long-path/that-keeps-going/for-phones?and=a-query-string");
  await page.getByLabel("Description").fill("Responsive check receiver");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await page.getByRole("region", { name: "Endpoint created" }).getByRole("button", { name: "I have stored the secret" }).click();
  await page.waitForURL(/\/webhooks\/whk_/, { timeout: 90_000 });
  const endpoint = new URL(page.url()).pathname;
  // One of its deliveries (a test event, failing against the closed port).
  await page.getByRole("button", { name: "Send test event" }).click();
  const deliveryLink = page.getByRole("link", { name: /^Delivery ENDPOINT_TEST/ }).first();
  await expect(deliveryLink).toBeVisible({ timeout: 90_000 });
  const delivery = (await deliveryLink.getAttribute("href"))!;

  // A run of the demo connection: the first in its recent runs.
  await page.goto(connection);
  const runLink = page.getByRole("region", { name: "Recent sync runs" }).getByRole("link", { name: /^run_/ }).first();
  await expect(runLink).toBeVisible({ timeout: 90_000 });
  const syncRun = (await runLink.getAttribute("href"))!;

  // A run of the demo job.
  await page.goto("/sync-jobs");
  await heading("Sync jobs")(page);
  await page.getByRole("table").getByRole("link").first().click();
  const run = page.getByRole("form", { name: "Run now" });
  await expect(run.getByRole("button", { name: "Run now" })).toBeEnabled({ timeout: 90_000 });
  const job = new URL(page.url()).pathname;
  // The job runs once per connection at a time: a run an earlier test started will do.
  const earlier = page.getByRole("link", { name: /^jrun_/ }).first();
  if ((await earlier.count()) === 0) {
    await run.getByLabel("Connection").selectOption({ index: 1 });
    await run.getByRole("button", { name: "Run now" }).click();
    await page.waitForURL(/\/sync-jobs\/runs\/jrun_/, { timeout: 90_000 });
  } else await earlier.click();
  await page.waitForURL(/\/sync-jobs\/runs\/jrun_/, { timeout: 90_000 });
  seeded = { admin: await context.storageState(), connection, syncRun, endpoint, delivery, job, run: new URL(page.url()).pathname };
  await context.close();
});

/**
 * The contexts a test opens, closed after it: a page left open goes on polling the dev server (a
 * pending delivery's page, a run's page) for the rest of the run, and two dozen of them slowed the
 * last tests' server past their timeouts ("Unable to start a transaction in the given time").
 */
const contexts: BrowserContext[] = [];
async function opened(context: Promise<BrowserContext>): Promise<BrowserContext> {
  contexts.push(await context);
  return contexts.at(-1)!;
}
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/** A page of the signed-in admin. */
async function admin(browser: Browser): Promise<Page> {
  return (await opened(browser.newContext({ storageState: seeded.admin }))).newPage();
}

const PAGES: [name: string, path: (seeded: Seeded) => string, ready: (page: Page) => Promise<void>][] = [
  ["overview", () => "/", heading("Overview")],
  ["connections", () => "/connections", heading("Connections")],
  [
    "connection",
    (seeded) => seeded.connection,
    async (page) => await expect(page.getByRole("region", { name: "Sync timeline" })).toBeVisible({ timeout: 90_000 }),
  ],
  ["connection-run", (seeded) => seeded.syncRun, async (page) => await expect(page.getByTestId("run-status")).toHaveText(/\w/, { timeout: 90_000 })],
  ["sync-configuration", () => "/sync-configuration", heading("Sync configuration")],
  ["platforms", () => "/platforms", heading("Platforms")],
  ["coverage", () => "/coverage", heading("Field coverage")],
  ["webhooks", () => "/webhooks", heading("Webhooks")],
  ["endpoint", (seeded) => seeded.endpoint, async (page) => await expect(page.getByText("Responsive check receiver").first()).toBeVisible({ timeout: 90_000 })],
  [
    "delivery",
    (seeded) => seeded.delivery,
    async (page) => await expect(page.getByRole("heading", { level: 1, name: /ENDPOINT_TEST/ })).toBeVisible({ timeout: 90_000 }),
  ],
  ["endpoint-new", () => "/webhooks/new", heading("Add a webhook endpoint")],
  ["endpoint-edit", (seeded) => `${seeded.endpoint}/edit`, async (page) => await expect(page.getByLabel("Endpoint URL")).toBeVisible({ timeout: 90_000 })],
  ["sync-jobs", () => "/sync-jobs", heading("Sync jobs")],
  [
    "sync-job",
    (seeded) => seeded.job,
    async (page) => await expect(page.getByRole("form", { name: "Run now" }).getByRole("button", { name: "Run now" })).toBeEnabled({ timeout: 90_000 }),
  ],
  ["sync-job-run", (seeded) => seeded.run, async (page) => await expect(page.getByTestId("run-status")).toHaveText(/\w/, { timeout: 90_000 })],
  [
    "sync-job-new",
    () => "/sync-jobs/new",
    async (page) => await expect(page.getByRole("button", { name: "Create sync job" })).toBeEnabled({ timeout: 90_000 }),
  ],
  ["api-reference", () => "/api-reference", heading(/API reference/)],
  ["readme", () => "/readme", heading("README")],
  ["api-keys", () => "/api-keys", heading("API keys")],
  ["settings", () => "/settings", heading("Settings")],
  [
    "not-found-connection",
    () => "/connections/conn_doesnotexist",
    async (page) => await expect(page.getByText("Connection not found")).toBeVisible({ timeout: 90_000 }),
  ],
  [
    "not-found",
    () => "/no-such-page",
    async (page) => await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible({ timeout: 90_000 }),
  ],
];

for (const [name, path, ready] of PAGES) {
  test(`${name} fits 390 px and 1440 px, light and dark`, async ({ browser }) => {
    // A page compiles on its first visit in dev mode: minutes on a loaded machine.
    test.setTimeout(300_000);
    await visit(await admin(browser), name, path(seeded), ready);
  });
}

test("sign-in fits 390 px and 1440 px, light and dark", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled({ timeout: 90_000 });
  await capture(page, "sign-in");
});

test("the error page fits 390 px and 1440 px, light and dark", async ({ browser }) => {
  const page = await admin(browser);
  // The API keys page's table is gone for as long as it takes to load it.
  await database((client) => client.query("alter table api_keys rename to api_keys_hidden_by_e2e"));
  try {
    await page.goto("/api-keys");
    await expect(page.getByText("This page could not be loaded")).toBeVisible({ timeout: 90_000 });
  } finally {
    await database((client) => client.query("alter table api_keys_hidden_by_e2e rename to api_keys"));
  }
  await capture(page, "error");
});

test("the forced password change fits 390 px and 1440 px, light and dark", async ({ browser }) => {
  // Pages compile on their first visit in dev mode: minutes on a loaded machine.
  test.setTimeout(300_000);
  const theirs = await teammate(await admin(browser), browser);
  await expect(theirs.getByRole("heading", { name: "Choose your password" })).toBeVisible();
  await capture(theirs, "change-password");
});

test("Link fits 390 px and 1440 px, and stays light in dark mode", async ({ page, request }) => {
  // Pages compile on their first visit in dev mode: minutes on a loaded machine.
  test.setTimeout(300_000);
  const authorization = await apiKey();
  const session = await request.post("/api/v1/link/sessions", { headers: { authorization }, data: { end_user_id: "responsive-user" } });
  expect(session.status(), await session.text()).toBe(201);
  const { link_token } = (await session.json()) as { link_token: string };
  await page.goto(`/link?token=${encodeURIComponent(link_token)}`);
  await expect(page.getByRole("heading", { name: "Connect an account" })).toBeVisible({ timeout: 90_000 });
  await capture(page, "link");
  // Link is embedded in customers' sites whatever their theme: its card stays white in dark mode.
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await page.getByRole("main").evaluate((main) => getComputedStyle(main).backgroundColor)).toBe("rgb(255, 255, 255)");
  await page
    .getByRole("list", { name: "Platforms" })
    .getByRole("button", { name: /Shopify/ })
    .click();
  await expect(page.getByRole("heading", { name: "Connect Shopify" })).toBeVisible();
  await capture(page, "link-platform");
});
