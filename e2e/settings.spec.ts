// Settings: an owner adds a teammate (a bad email first), passes on the temporary password, the
// teammate signs in, must choose their own password before any page opens, then sees Settings as a
// viewer who cannot manage members, and changes their password there, which signs out their other
// session; the owner changes their role, switches data events during initial syncs, and removes them
// after a confirmation.
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./config";

async function fillSignIn(page: Page, email: string, password: string) {
  await page.goto("/settings");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signIn(page: Page, email: string, password: string) {
  await fillSignIn(page, email, password);
  // The first visit compiles the page in dev mode.
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible({ timeout: 60_000 });
}

async function fillPasswordChange(page: Page, current: string, next: string, again = next) {
  await page.getByLabel(/^(Current|Temporary) password$/).fill(current);
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("New password again").fill(again);
}

test("members and environment settings", async ({ page, browser }, testInfo) => {
  await signIn(page, E2E.adminEmail, E2E.adminPassword);
  const email = `ada.${Date.now()}@example.com`;
  await page.getByLabel("Email", { exact: true }).fill("not-an-email");
  await page.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.locator("#member-email-error")).toHaveText("Enter an email address, e.g. ada@example.com.");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Ada Lovelace");
  await page.screenshot({ path: testInfo.outputPath("settings-add-member-error.png"), fullPage: true });

  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("heading", { name: `${email} added` })).toBeFocused();
  const password = await page.getByLabel("Temporary password").inputValue();
  expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  await page.screenshot({ path: testInfo.outputPath("settings-member-added.png"), fullPage: true });
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByLabel("Temporary password")).toHaveCount(0);
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row.getByLabel("Role of Ada Lovelace")).toHaveValue("viewer");

  // The teammate signs in with the temporary password: no page opens until they choose their own.
  const teammate = await browser.newContext();
  const theirs = await teammate.newPage();
  await fillSignIn(theirs, email, password);
  await expect(theirs).toHaveURL(/\/change-password$/, { timeout: 60_000 });
  await expect(theirs.getByRole("heading", { name: "Choose your password" })).toBeVisible();
  await theirs.goto("/connections");
  await expect(theirs).toHaveURL(/\/change-password$/);
  expect((await theirs.request.get("/api/dashboard/overview/running")).status()).toBe(401);
  await fillPasswordChange(theirs, password, "too short");
  await theirs.getByRole("button", { name: "Save and continue" }).click();
  await expect(theirs.locator("#new-password-error")).toHaveText("Password must be at least 12 characters.");
  await theirs.screenshot({ path: testInfo.outputPath("change-temporary-password.png"), fullPage: true });
  const chosen = "ada's own password 1815";
  await fillPasswordChange(theirs, password, chosen);
  await theirs.getByRole("button", { name: "Save and continue" }).click();
  await expect(theirs.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 60_000 });

  // A viewer sees members but cannot manage them.
  await theirs.goto("/settings");
  await expect(theirs.getByRole("main").getByText(email)).toBeVisible();
  await expect(theirs.getByRole("button", { name: "Add member" })).toHaveCount(0);
  await expect(theirs.getByRole("switch")).toHaveCount(2);
  for (const toggle of await theirs.getByRole("switch").all()) await expect(toggle).toBeDisabled();
  await expect(theirs.getByLabel("Events and webhook deliveries")).toBeDisabled();
  await expect(theirs.getByRole("button", { name: "Save retention" })).toHaveCount(0);

  // They change their password in Settings: their session in another browser ends, and so does a
  // copy of this browser's cookie; this browser goes on with a new session.
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await signIn(other, email, chosen);
  const copied = await browser.newContext({ storageState: await teammate.storageState() });
  const copy = await copied.newPage();
  await copy.goto("/settings");
  await expect(copy.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await fillPasswordChange(theirs, "not my password", "ada's newer password 1843");
  await theirs.getByRole("button", { name: "Change password" }).click();
  await expect(theirs.locator("#current-password-error")).toHaveText("That is not your current password.");
  await fillPasswordChange(theirs, chosen, "ada's newer password 1843");
  await theirs.getByRole("button", { name: "Change password" }).click();
  await expect(theirs.getByRole("status").filter({ hasText: "Password changed." })).toHaveText("Password changed. 1 other session was signed out.");
  for (const ended of [other, copy]) {
    await ended.goto("/settings");
    await expect(ended).toHaveURL(/\/sign-in/);
  }
  await theirs.reload();
  await expect(theirs.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await elsewhere.close();
  await copied.close();
  await teammate.close();

  // The change is a server action: wait for its answer before reloading, or the reload cancels it.
  const saved = page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/settings");
  await row.getByLabel("Role of Ada Lovelace").selectOption("admin");
  await saved;
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: email }).getByLabel("Role of Ada Lovelace")).toHaveValue("admin");

  // The only owner cannot demote themselves.
  const me = page.getByRole("row").filter({ hasText: E2E.adminEmail });
  await me.getByLabel("Role of Admin").selectOption("viewer");
  await expect(me.getByRole("alert")).toContainText("at least one owner");

  const toggle = page.getByRole("switch", { name: /Data events during initial and historical syncs in sandbox/ });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await page.reload();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  // Platform payloads are kept by default; the switch turns that off for the environment, and back on.
  const payloads = page.getByRole("switch", { name: "Keep platform payloads in sandbox" });
  await expect(payloads).toHaveAttribute("aria-checked", "true");
  await payloads.click();
  await expect(payloads).toHaveAttribute("aria-checked", "false");
  await page.reload();
  await expect(payloads).toHaveAttribute("aria-checked", "false");
  await payloads.click();
  await expect(payloads).toHaveAttribute("aria-checked", "true");

  await page.getByRole("button", { name: "Remove Ada Lovelace" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove Ada Lovelace?" });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("settings-remove-confirm.png"), fullPage: true });
  await dialog.getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("settings.png"), fullPage: true });
});

test("data retention: the defaults shown, a bad number named and nothing saved, a change kept", async ({ page }, testInfo) => {
  await signIn(page, E2E.adminEmail, E2E.adminPassword);
  const form = page.getByRole("form", { name: "Data retention" });
  const events = form.getByLabel("Events and webhook deliveries");
  const runs = form.getByLabel("Finished runs");
  const tombstones = form.getByLabel("Deleted records");
  await expect(events).toHaveValue("30");
  await expect(runs).toHaveValue("90");
  await expect(tombstones).toHaveValue("30");
  const save = form.getByRole("button", { name: "Save retention" });
  await expect(save).toBeDisabled();

  await events.fill("0");
  await runs.fill("120");
  await save.click();
  await expect(form.getByRole("alert")).toHaveText("Nothing was saved: correct the fields marked.");
  await expect(form.locator("#retention-eventDays-error")).toHaveText("Must be at least 1 day");
  await expect(events).toHaveAttribute("aria-invalid", "true");
  await page.setViewportSize({ width: 1440, height: 900 });
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("settings-retention-error-1440.png"), fullPage: true });

  await events.fill("45");
  await save.click();
  await expect(form.getByRole("status")).toContainText("Saved.");
  await page.reload();
  await expect(events).toHaveValue("45");
  await expect(runs).toHaveValue("120");
  await page.setViewportSize({ width: 390, height: 844 });
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("settings-retention-390.png"), fullPage: true });
  await page.locator("section", { has: form }).screenshot({ path: testInfo.outputPath("settings-retention-card-390.png") });

  // Deleting the environment's data asks for its name; cancelled here (later tests use the demo connections).
  await page.getByRole("button", { name: "Delete data…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete the sandbox environment's data?" });
  await expect(dialog).toContainText(/Its \d+ connections? (is|are) deleted/);
  await dialog.getByLabel("Type sandbox to confirm").fill("sand");
  await expect(dialog.getByRole("button", { name: "Delete data" })).toBeDisabled();
  await dialog.getByLabel("Type sandbox to confirm").fill("sandbox");
  await expect(dialog.getByRole("button", { name: "Delete data" })).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath("settings-environment-delete-390.png") });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: testInfo.outputPath("settings-environment-delete-1440.png") });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  // Back to the defaults, for the tests after this one.
  await events.fill("30");
  await runs.fill("90");
  await save.click();
  await expect(form.getByRole("status")).toContainText("Saved.");
  await page.reload();
  await expect(events).toHaveValue("30");
  await expect(runs).toHaveValue("90");
});
