// Settings: an owner adds a teammate (a bad email first), passes on the temporary password, the
// teammate signs in as a viewer and cannot manage members; the owner changes their role, switches
// data events during initial syncs, and removes them after a confirmation.
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./config";

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/settings");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The first visit compiles the page in dev mode.
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible({ timeout: 60_000 });
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

  // The teammate signs in with the temporary password: a viewer sees members but cannot manage them.
  const teammate = await browser.newContext();
  const theirs = await teammate.newPage();
  await signIn(theirs, email, password);
  await expect(theirs.getByRole("main").getByText(email)).toBeVisible();
  await expect(theirs.getByRole("button", { name: "Add member" })).toHaveCount(0);
  await expect(theirs.getByRole("switch")).toBeDisabled();
  await teammate.close();

  await row.getByLabel("Role of Ada Lovelace").selectOption("admin");
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
  await expect(page.getByRole("switch", { name: /in sandbox/ })).toHaveAttribute("aria-checked", "true");
  await page.getByRole("switch", { name: /in sandbox/ }).click();
  await expect(page.getByRole("switch", { name: /in sandbox/ })).toHaveAttribute("aria-checked", "false");

  await page.getByRole("button", { name: "Remove Ada Lovelace" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove Ada Lovelace?" });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("settings-remove-confirm.png"), fullPage: true });
  await dialog.getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("settings.png"), fullPage: true });
});
