// Sync configuration and Platforms pages against a fresh `npm run dev`: batches edited, previewed,
// refused next to the field when invalid and saved once fixed; a platform override with its
// dependencies explained; a platform switched off and on; credentials saved and never shown back.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { signIn } from "./support";

// Pages compile on first visit in dev mode, slowly on a loaded machine.
test.setTimeout(300_000);
const FIRST_VISIT = { timeout: 120_000 };

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, caret: "initial" });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("configures batches with a preview, refuses an invalid window beside its field, and overrides a platform", async ({ page }, testInfo) => {
  await page.goto("/sync-configuration");
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "Sync configuration" })).toBeVisible(FIRST_VISIT);
  const organization = page.getByRole("tabpanel", { name: "Organization" });
  await screenshot(page, testInfo, "configuration-initial");

  // Batches: set here, they start as Tributary's default (the last month, then the rest of the history);
  // then one for the last 2 months, and a second one added and given a window.
  await expect(organization).toContainText("Default: the last month first");
  await organization.getByRole("group", { name: "Initial-sync batches" }).getByRole("button", { name: "Set here" }).click();
  await expect(organization.getByRole("listitem", { name: "Batch 1" }).getByLabel("From (months ago)")).toHaveValue("1");
  await expect(organization.getByRole("listitem", { name: "Batch 2" }).getByLabel("To (months ago)")).toHaveValue("1");
  await organization.getByRole("button", { name: "Remove batch 2" }).click();
  await organization.getByRole("listitem", { name: "Batch 1" }).getByLabel("From (months ago)").fill("2");
  await organization.getByRole("button", { name: "+ Add batch" }).click();
  const second = organization.getByRole("listitem", { name: "Batch 2" });
  await expect(second.getByLabel("From (months ago)")).toBeFocused();
  await second.getByLabel("From (months ago)").fill("36");
  await expect(second.getByLabel("To (months ago)")).toHaveValue("2");

  // Reorder with the buttons and back with the keyboard.
  await second.getByRole("button", { name: "Move batch 2 up" }).click();
  await expect(organization.getByRole("listitem", { name: "Batch 1" }).getByLabel("From (months ago)")).toHaveValue("36");
  await screenshot(page, testInfo, "configuration-reordered");
  await organization.getByRole("listitem", { name: "Batch 1" }).getByLabel("From (months ago)").press("Alt+ArrowDown");
  await expect(organization.getByRole("listitem", { name: "Batch 2" }).getByLabel("From (months ago)")).toHaveValue("36");

  // 36 months is before the 24-month history: refused next to the field, nothing saved.
  await organization.getByRole("button", { name: "Save organization configuration" }).click();
  const from = organization.getByRole("listitem", { name: "Batch 2" }).getByLabel("From (months ago)");
  await expect(from).toHaveAttribute("aria-invalid", "true");
  await expect(from).toHaveAccessibleDescription(/before the history begins \(24 months\)/);
  await expect(organization.getByRole("alert")).toContainText("Nothing was saved");
  await screenshot(page, testInfo, "configuration-invalid");

  // Fixed: the preview says what each batch fetches and which webhook ends it; saved.
  await from.fill("24");
  const preview = page.getByTestId("batch-preview").first();
  await expect(preview).toContainText("created in the last 2 months → then INITIAL_UPDATE");
  await expect(preview).toContainText("created 2–24 months ago → then HISTORICAL_UPDATE");
  await organization.getByRole("button", { name: "Save organization configuration" }).click();
  await expect(organization.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await screenshot(page, testInfo, "configuration-saved");

  // A Shopify override: unchecking Customers keeps it, because Orders needs it.
  await page.getByRole("tab", { name: /Shopify/ }).click();
  const shopify = page.getByRole("tabpanel", { name: /Shopify/ });
  await shopify.getByRole("button", { name: "Override for Shopify" }).click();
  await shopify.getByRole("group", { name: "Objects", exact: true }).getByRole("button", { name: "Set here" }).click();
  await shopify.getByRole("checkbox", { name: /Customers/ }).click();
  await expect(shopify.getByRole("checkbox", { name: /Customers/ })).toBeChecked();
  await expect(shopify.getByRole("checkbox", { name: /Customers/ })).toBeDisabled();
  await expect(shopify).toContainText("Customers is added because Orders needs it.");
  await shopify.getByRole("group", { name: "Incremental frequency" }).getByRole("button", { name: "Set here" }).click();
  await shopify.getByRole("textbox", { name: "Incremental frequency" }).fill("15");
  await screenshot(page, testInfo, "configuration-override");
  await shopify.getByRole("button", { name: "Save Shopify override" }).click();
  await expect(shopify.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByRole("tab", { name: /Shopify/ })).toContainText("override");
  await screenshot(page, testInfo, "configuration-override-saved");
});

test("switches a platform off and on and keeps its client secret write-only", async ({ page }, testInfo) => {
  await page.goto("/platforms");
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "Platforms" })).toBeVisible(FIRST_VISIT);
  await screenshot(page, testInfo, "platforms-initial");

  const zendesk = page.getByTestId("platform-zendesk");
  const zendeskSwitch = zendesk.getByRole("switch");
  await expect(zendeskSwitch).toHaveAttribute("aria-checked", "true");
  await zendeskSwitch.click();
  await expect(zendeskSwitch).toHaveAttribute("aria-checked", "false");
  await expect(page.getByTestId("zendesk-link-status")).toHaveText("Switched off: Link does not offer it.");
  await screenshot(page, testInfo, "platforms-disabled");
  await zendeskSwitch.click();
  await expect(zendeskSwitch).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("zendesk-link-status")).toHaveText("Link offers it to your customers.");

  // A bad client id is refused beside its field.
  const shopify = page.getByTestId("platform-shopify");
  await shopify.getByLabel("Client ID").fill("has a space");
  await shopify.getByRole("button", { name: "Save credentials" }).click();
  await expect(shopify.getByLabel("Client ID")).toHaveAccessibleDescription(/has no spaces/);
  await screenshot(page, testInfo, "platforms-invalid");

  const secret = "shpss_e2e_secret_value_9K2Q";
  await shopify.getByLabel("Client ID").fill("e2e-shopify-app-7781");
  await shopify.getByLabel("Client secret").fill(secret);
  await shopify.getByRole("button", { name: "Save credentials" }).click();
  await expect(shopify.getByRole("status")).toContainText("Saved client ID, client secret, scopes.");
  await expect(page.getByTestId("shopify-client-secret-status")).toHaveText("Set · ends in …9K2Q");
  await expect(page.getByTestId("shopify-client-id-status")).toHaveText("Set · ends in …7781");
  await expect(shopify.getByLabel("Client secret")).toHaveValue("");
  await page.reload();
  await expect(page.getByTestId("shopify-client-secret-status")).toHaveText("Set · ends in …9K2Q");
  expect(await page.content()).not.toContain(secret);
  await screenshot(page, testInfo, "platforms-credentials-saved");
});
