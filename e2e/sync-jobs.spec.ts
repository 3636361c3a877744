// Sync jobs end to end (issue 9): a small sandbox help desk connected through Link from the
// dashboard, a webhook endpoint pointing at a receiver this test runs on 127.0.0.1, then a job written
// in the editor (invalid JSON named by line and column, a placeholder naming a resource that is not an
// ancestor named by its field path, the text kept), fixed and saved; run now against the help desk
// and the endpoint, watched live until completed with its records counted; the receiver got
// SYNC_JOB_RUN_STARTED first and SYNC_JOB_RUN_COMPLETED last. Then a run waiting for a refusing
// receiver, stopped (asked first), and a cron trigger added with its schedule described, deactivated and
// deleted. A screenshot of each page is saved with the test's output.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type Page, type TestInfo } from "@playwright/test";
import { clickToClose, test } from "./support";
import { E2E } from "./config";

const SANDBOX = `http://127.0.0.1:${E2E.sandboxPort}`;
const DESK = "e2e-jobs-desk";

interface Received {
  type: string;
  runId: string | undefined;
  sequence: number | undefined;
}

/** Answers 200, or 503 to the events `refuse` picks, recording each event it accepts. */
function receiver() {
  const state = { refuse: (_event: Received) => false, received: [] as Received[] };
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const payload = JSON.parse(body) as { type: string; data: { sync_job_run_id?: string; sequence?: number } };
      const event = { type: payload.type, runId: payload.data.sync_job_run_id, sequence: payload.data.sequence };
      if (state.refuse(event)) return void response.writeHead(503, { "content-type": "text/plain" }).end("busy");
      state.received.push(event);
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  return { state, server };
}

let shots = 0;
async function shot(page: Page, testInfo: TestInfo, name: string) {
  shots++;
  // caret "initial": hiding the caret styles inputs, which React would report as a hydration mismatch.
  await page.screenshot({ path: testInfo.outputPath(`sync-jobs-${String(shots).padStart(2, "0")}-${name}.png`), fullPage: true, caret: "initial" });
}

/** The definition with comments fetched per ticket; `ticketId` is the placeholder the comments query uses. */
function definition(ticketId: string): string {
  return JSON.stringify(
    {
      name: "E2E tickets with comments",
      category: "ticketing",
      args_schema: { type: "object", properties: {} },
      resources: [
        { resource: "ticketing/tickets", method: "list", query: { updated_at_min: "{{previous_run_date}}" } },
        { resource: "ticketing/comments", method: "list", query: { ticket_id: ticketId }, depends_on: "ticketing/tickets" },
      ],
      error_handling: "ignore",
    },
    null,
    2,
  );
}

test("write a job in the editor, run it against a help desk, watch it complete, stop a run, schedule it", async ({ page, request }, testInfo) => {
  test.setTimeout(480_000);
  const { state, server } = receiver();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jobs`;
  try {
    const created = await request.post(`${SANDBOX}/control/accounts`, { data: { platform: "zendesk", id: DESK, size: 20, seed: 17, rate_limited: false } });
    expect(created.status(), await created.text()).toBe(201);

    await page.goto("/sync-jobs");
    await page.getByLabel("Email").fill(E2E.adminEmail);
    await page.getByLabel("Password").fill(E2E.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Pages compile on first visit in dev mode, slowly on a busy machine.
    await expect(page.getByRole("heading", { level: 1, name: "Sync jobs" })).toBeVisible({ timeout: 90_000 });
    // The demo help desk's job is there from the start.
    // (Its name is also in Recent runs once the demo's cron has started it.)
    await expect(page.getByRole("region", { name: "Jobs" }).getByRole("link", { name: "Tickets with comments" })).toBeVisible();
    await shot(page, testInfo, "list-start");

    // The help desk, connected through Link from the Connections page.
    await page.goto("/connections");
    await page.getByRole("button", { name: "Connect an account" }).click({ timeout: 90_000 });
    const link = page.frameLocator('iframe[title^="Connect an account"]');
    await link
      .getByRole("list", { name: "Platforms" })
      .getByRole("button", { name: /Zendesk/ })
      .click({ timeout: 60_000 });
    await link.getByLabel("Zendesk subdomain").fill(DESK);
    const [consent] = await Promise.all([page.context().waitForEvent("page"), link.getByRole("button", { name: "Continue to Zendesk" }).click()]);
    await expect(consent.getByRole("heading", { name: "Zendesk: authorize access" })).toBeVisible();
    await clickToClose(consent, consent.getByRole("button", { name: "Allow" }));
    const connected = page.getByRole("dialog", { name: "Account connected" });
    const connectionId = await connected.getByRole("textbox", { name: "Connection ID" }).inputValue();
    expect(connectionId).toMatch(/^conn_/);
    await connected.getByRole("button", { name: "I have stored the token" }).click();

    // The endpoint the runs stream to: only sync job events.
    await page.goto("/webhooks/new");
    await expect(page.getByRole("button", { name: "Create endpoint" })).toBeEnabled({ timeout: 90_000 });
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("Description").fill("Sync job receiver");
    await page.getByLabel("Only the types I choose").check();
    await page.getByLabel("Add a pattern").fill("SYNC_JOB_RUN_*");
    await page.getByRole("button", { name: "Add pattern" }).click();
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await page.getByRole("region", { name: "Endpoint created" }).getByRole("button", { name: "I have stored the secret" }).click();
    await page.waitForURL(/\/webhooks\/whk_/, { timeout: 90_000 });
    const endpointId = new URL(page.url()).pathname.split("/").pop()!;

    // The editor: a template to start from, the category's reference beside it.
    await page.goto("/sync-jobs");
    await page.getByRole("link", { name: "New sync job" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "New sync job" })).toBeVisible({ timeout: 90_000 });
    const save = page.getByRole("button", { name: "Create sync job" });
    await expect(save).toBeEnabled({ timeout: 30_000 });
    const editor = page.getByLabel("Definition (JSON)");
    await expect(editor).toHaveValue(/"ticketing\/comments"/);
    await expect(page.getByRole("button", { name: /Tickets with comments/ })).toHaveAttribute("aria-pressed", "true");
    const reference = page.getByRole("complementary", { name: "Reference: Ticketing" });
    await expect(reference.getByRole("list", { name: "Resources" })).toContainText("ticketing/comments");
    await expect(reference).toContainText("{{previous_run_date}}");
    await page.getByRole("button", { name: /Users of an organization/ }).click();
    await expect(editor).toHaveValue(/"organization_id": "\{\{args.org_id\}\}"/);
    await shot(page, testInfo, "editor-template");

    // Not JSON: named by line and column, nothing sent, nothing lost.
    const broken = definition("{{resources.ticketing.tickets.id}}").replace(
      '"method": "list",\n      "query": {\n        "ticket_id"',
      '"method": "list"\n      "query": {\n        "ticket_id"',
    );
    await editor.fill(broken);
    await save.click();
    const alert = page.getByRole("alert").filter({ hasText: "Not valid JSON" });
    await expect(alert).toContainText("line 19, column 7");
    await expect(editor).toHaveValue(broken);

    // Valid JSON, invalid job: the problem is named by its field path, with its line.
    const invalid = definition("{{resources.ticketing.users.id}}");
    await editor.fill(invalid);
    await save.click();
    const problems = page.getByRole("alert").filter({ hasText: "nothing was saved" });
    await expect(problems.getByRole("list", { name: "Problems" })).toContainText("resources[1].query.ticket_id");
    await expect(problems).toContainText("not an ancestor of ticketing/comments");
    await expect(problems.getByRole("button", { name: "line 20" })).toBeVisible();
    await expect(editor).toHaveValue(invalid);
    await shot(page, testInfo, "editor-problems");

    // Fixed and saved: the job's page shows its definition as a tree.
    await editor.fill(definition("{{resources.ticketing.tickets.id}}"));
    await save.click();
    await expect(page.getByRole("heading", { level: 1, name: "E2E tickets with comments" })).toBeVisible({ timeout: 90_000 });
    const jobUrl = page.url();
    const tree = page.getByRole("list", { name: "Resources" });
    await expect(tree.getByRole("listitem")).toHaveCount(2);
    await expect(tree.getByRole("listitem").nth(1)).toContainText("one request per ticketing/tickets record");

    // Run now: the help desk and the endpoint; the run's page follows it live until it completes.
    const run = page.getByRole("form", { name: "Run now" });
    await expect(run.getByRole("button", { name: "Run now" })).toBeEnabled({ timeout: 30_000 });
    await run.getByLabel("Connection").selectOption(connectionId);
    await run.getByLabel("Webhook endpoint").selectOption(endpointId);
    await shot(page, testInfo, "job");
    await run.getByRole("button", { name: "Run now" }).click();
    await page.waitForURL(/\/sync-jobs\/runs\/jrun_/, { timeout: 90_000 });
    const runId = new URL(page.url()).pathname.split("/").pop()!;
    const status = page.getByTestId("run-status");
    await expect(status).toHaveText("Succeeded", { timeout: 120_000 });
    const records = (resource: string) => page.getByRole("row", { name: resource }).getByRole("cell").nth(4);
    const count = async (resource: string) => Number(/^[\d,]+/.exec(await records(resource).innerText())![0].replace(/,/g, ""));
    expect(await count("ticketing/tickets")).toBeGreaterThan(0);
    expect(await count("ticketing/comments")).toBeGreaterThan(0);
    // The help desk counts its tickets: the run measured itself against that count; comments, listed per ticket, have none.
    await expect(records("ticketing/tickets")).toHaveText(new RegExp(`^${(await count("ticketing/tickets")).toLocaleString("en-US")} of ~[\\d,]+$`));
    await expect(records("ticketing/comments")).not.toContainText("of ~");
    await expect(page.getByRole("row").filter({ hasText: "SYNC_JOB_RUN_COMPLETED" })).toContainText("Succeeded");
    await shot(page, testInfo, "run-completed");

    // The receiver got the run's events in order, STARTED first and COMPLETED last.
    await expect.poll(() => state.received.filter((event) => event.runId === runId).at(-1)?.type, { timeout: 15_000 }).toBe("SYNC_JOB_RUN_COMPLETED");
    const events = state.received.filter((event) => event.runId === runId);
    expect(events[0].type).toBe("SYNC_JOB_RUN_STARTED");
    expect(events.filter((event) => event.type === "SYNC_JOB_RUN_RECORD").length).toBeGreaterThan(1);
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));

    // The receiver refuses the fourth event: the run shows what it fetched so far and waits for the
    // endpoint's answer (named, with the last attempt's status); it is stopped, asked first.
    state.refuse = (event) => (event.sequence ?? 0) >= 4;
    await page.goto(jobUrl);
    await expect(run.getByRole("button", { name: "Run now" })).toBeEnabled({ timeout: 30_000 });
    await run.getByLabel("Connection").selectOption(connectionId);
    await run.getByLabel("Webhook endpoint").selectOption(endpointId);
    await run.getByLabel("Ignore the previous run").check();
    await run.getByRole("button", { name: "Run now" }).click();
    await page.waitForURL(/\/sync-jobs\/runs\/jrun_/, { timeout: 90_000 });
    const waiting = page.getByRole("status").filter({ hasText: "Waiting for the endpoint to accept SYNC_JOB_RUN_RECORD" });
    await expect(waiting).toContainText("the last answered HTTP 503", { timeout: 60_000 });
    await expect(status).toHaveText("Running");
    await expect(page.getByRole("row").filter({ hasText: "SYNC_JOB_RUN_RECORD" }).last()).toContainText("Pending");
    await shot(page, testInfo, "run-waiting");
    const stoppedRunId = new URL(page.url()).pathname.split("/").pop()!;
    // The endpoint takes the run's last event, once the stop has cancelled what it refused.
    state.refuse = (event) => event.type !== "SYNC_JOB_RUN_STOPPED" && (event.sequence ?? 0) >= 4;
    await page.getByRole("button", { name: "Stop…" }).click();
    const stop = page.getByRole("dialog", { name: "Stop this run?" });
    await expect(stop).toBeVisible();
    await stop.getByRole("button", { name: "Stop run" }).click();
    await expect(status).toHaveText("Cancelled", { timeout: 30_000 });
    await expect(page.getByText("Stopped on request")).toBeVisible();
    await expect(page.getByRole("button", { name: "Stop…" })).toHaveCount(0);
    await expect(waiting).toHaveCount(0);
    await expect(page.getByRole("row").filter({ hasText: "SYNC_JOB_RUN_RECORD" }).last()).toContainText("Cancelled");
    state.refuse = () => false;
    // A stopped run tells its endpoint so: SYNC_JOB_RUN_STOPPED is the last event the receiver gets, numbered after what it accepted.
    await expect.poll(() => state.received.filter((event) => event.runId === stoppedRunId).at(-1)?.type, { timeout: 60_000 }).toBe("SYNC_JOB_RUN_STOPPED");
    const stoppedEvents = state.received.filter((event) => event.runId === stoppedRunId);
    expect(stoppedEvents.at(-1)!.sequence).toBeGreaterThan(stoppedEvents.at(-2)!.sequence!);
    await shot(page, testInfo, "run-stopped");

    // A cron trigger: its schedule described as typed, then added, deactivated and deleted.
    await page.goto(jobUrl);
    const trigger = page.getByRole("form", { name: "Add a cron trigger" });
    await expect(trigger.getByRole("button", { name: "Add trigger" })).toBeEnabled({ timeout: 30_000 });
    await trigger.getByLabel("Cron expression (UTC)").fill("61 * * * *");
    await expect(trigger).toContainText("out of range");
    await trigger.getByLabel("Cron expression (UTC)").fill("*/15 * * * *");
    await expect(trigger).toContainText("Runs every 15 minutes");
    await expect(trigger.getByRole("list", { name: "Next runs" }).getByRole("listitem")).toHaveCount(3);
    await trigger.getByLabel("Connection").selectOption(connectionId);
    await trigger.getByLabel("Webhook endpoint").selectOption(endpointId);
    await shot(page, testInfo, "trigger-form");
    await trigger.getByRole("button", { name: "Add trigger" }).click();
    await expect(trigger.getByRole("status")).toHaveText("Cron trigger added.");
    const row = page.getByRole("row").filter({ hasText: "*/15 * * * *" });
    await expect(row).toContainText("every 15 minutes");
    await expect(row).toContainText("Active");
    await row.getByRole("button", { name: "Deactivate trigger */15 * * * *" }).click();
    await expect(row).toContainText("Inactive");
    await shot(page, testInfo, "job-with-runs-and-trigger");
    await row.getByRole("button", { name: "Delete trigger */15 * * * *" }).click();
    await page.getByRole("dialog", { name: "Delete this cron trigger?" }).getByRole("button", { name: "Delete trigger" }).click();
    await expect(row).toHaveCount(0);

    // The list: the job, its runs with their records, linked.
    await page.goto("/sync-jobs");
    await expect(page.getByRole("link", { name: "E2E tickets with comments" }).first()).toBeVisible();
    const listed = page.getByRole("row").filter({ has: page.getByRole("link", { name: runId }) });
    await expect(listed).toContainText("Succeeded");
    await expect(listed).toContainText("E2E tickets with comments");
    await shot(page, testInfo, "list");
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("a job with a proxy resource shows the platform's path it GETs, under its parent, at 1440 and 390 px", async ({ page }, testInfo) => {
  await page.goto("/sync-jobs/new");
  await page.getByLabel("Email").fill(E2E.adminEmail);
  await page.getByLabel("Password").fill(E2E.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New sync job" })).toBeVisible({ timeout: 90_000 });
  const reference = page.getByRole("complementary", { name: "Reference: Ticketing" });
  await expect(reference).toContainText("proxy/<name>");
  const save = page.getByRole("button", { name: "Create sync job" });
  await expect(save).toBeEnabled({ timeout: 30_000 });
  const path = "/organizations/{{resources.ticketing.organizations.id}}/tickets.json";
  await page.getByLabel("Definition (JSON)").fill(
    JSON.stringify(
      {
        name: "E2E organizations with their tickets",
        category: "ticketing",
        resources: [
          { resource: "ticketing/organizations" },
          { resource: "proxy/org_tickets", platform: "zendesk", path, query: { per_page: 100 }, records_at: "tickets", depends_on: "ticketing/organizations" },
        ],
      },
      null,
      2,
    ),
  );
  await save.click();
  await expect(page.getByRole("heading", { level: 1, name: "E2E organizations with their tickets" })).toBeVisible({ timeout: 90_000 });
  const proxied = page.getByRole("list", { name: "Resources" }).getByRole("listitem").nth(1);
  await expect(proxied).toContainText(`GET ${path} on zendesk, records at tickets`);
  await expect(proxied).toContainText("one request per ticketing/organizations record");
  await shot(page, testInfo, "job-with-proxy-resource-1440");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(proxied).toBeVisible();
  // The long path wraps inside its card: nothing runs past the phone's width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(page, testInfo, "job-with-proxy-resource-390");
});
