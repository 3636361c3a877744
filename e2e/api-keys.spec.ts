import { expect, type Page, type TestInfo } from "@playwright/test";
import { signIn, test } from "./support";

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  // caret "initial": hiding the caret styles the focused input, which React reports as a hydration mismatch when the page is still hydrating.
  await page.screenshot({ path, fullPage: true, caret: "initial" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("creates an API key whose secret is shown once, works with the API, and stops working once revoked", async ({ page, request }, testInfo) => {
  await page.goto("/api-keys");
  await signIn(page);
  // The first visit compiles the page in dev mode: slow on a busy machine.
  await expect(page).toHaveURL(/\/api-keys$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await screenshot(page, testInfo, "api-keys-initial");

  // A missing name is refused next to the field.
  const nameField = page.getByLabel("Name", { exact: true });
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(nameField).toHaveAttribute("aria-invalid", "true");
  await expect(nameField).toHaveAccessibleDescription(/Enter a name/);

  // Created from the keyboard: the panel shows the client id and the secret once.
  const name = `E2E backend ${Date.now()}`;
  await nameField.fill(name);
  await nameField.press("Enter");
  const panel = page.getByRole("region", { name: `API key “${name}” created` });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText("it will not be shown again");
  const clientId = await panel.getByLabel("Client ID", { exact: true }).inputValue();
  const secret = await panel.getByLabel("Secret", { exact: true }).inputValue();
  expect(clientId).toMatch(/^ck_test_/);
  expect(secret).toMatch(/^sk_test_/);
  await expect(panel.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await expect(nameField).toHaveValue("");
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(clientId);
  await expect(row).toContainText(`••••${secret.slice(-4)}`);
  await screenshot(page, testInfo, "api-keys-secret-panel");

  const authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  const allowed = await request.get("/api/v1/connections", { headers: { authorization } });
  expect(allowed.status()).toBe(200);

  // After a reload the secret is nowhere: not in the page, not in what the server sent.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expect(page.getByRole("region", { name: /created$/ })).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  await expect(row.getByRole("cell").nth(4)).not.toHaveText("Never");

  // Revoke, confirmed in a dialog; the key then reads as revoked and the API refuses it.
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke “${name}”?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  await screenshot(page, testInfo, "api-keys-revoked");

  const refused = await request.get("/api/v1/connections", { headers: { authorization } });
  expect(refused.status()).toBe(401);
});
