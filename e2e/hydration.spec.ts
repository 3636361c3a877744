// Until React hydrates a page, its controls do nothing: a click is lost, and the sign-in form would
// submit natively, as a GET with the password in its URL. The server's HTML therefore renders them
// disabled, which is also what lets a test (or a person) wait for the page to be ready instead of for
// time. Seen here with React's code refused, so the page stays as the server streamed it.
import { expect, test } from "@playwright/test";
import { E2E } from "./config";

test("before hydration the sign-in button and the dashboard's controls are disabled, after it they work", async ({ browser }) => {
  const live = await browser.newContext();
  const page = await live.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E.adminEmail);
  await page.getByLabel("Password").fill(E2E.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 60_000 });
  await page.goto("/connections");
  await expect(page.getByRole("button", { name: "Connect an account" })).toBeEnabled();
  const signedIn = await live.storageState();
  await live.close();

  // The server's HTML, with its inline streaming scripts, but without the bundles that hydrate it.
  const withoutReact = async (storageState?: typeof signedIn) => {
    const context = await browser.newContext({ storageState });
    await context.route("**/_next/static/chunks/**", (route) => route.abort());
    return context;
  };
  const serverHtml = await withoutReact(signedIn);
  const still = await serverHtml.newPage();
  await still.goto("/connections");
  await expect(still.getByRole("heading", { level: 1, name: "Connections" })).toBeVisible();
  await expect(still.getByRole("button", { name: "Connect an account" })).toBeDisabled();
  await expect(still.getByRole("searchbox", { name: "Search" })).toBeDisabled();
  await expect(still.getByRole("button", { name: "Sign out" })).toBeDisabled();
  // Links need no JavaScript and stay usable.
  // (Without the stylesheets the phone's row of section links shows beside the sidebar: take the sidebar's.)
  await expect(still.getByRole("complementary").getByRole("link", { name: "Webhooks" })).toBeVisible();
  await serverHtml.close();

  const signedOut = await withoutReact();
  const signIn = await signedOut.newPage();
  await signIn.goto("/sign-in");
  await expect(signIn.getByRole("button", { name: "Sign in" })).toBeDisabled();
  await signIn.getByLabel("Email").fill(E2E.adminEmail);
  await signIn.getByLabel("Password").fill("typed-before-hydration");
  await signIn.getByLabel("Password").press("Enter");
  await expect(signIn.getByRole("button", { name: "Sign in" })).toBeDisabled();
  expect(new URL(signIn.url()).search).not.toContain("password");
  await signedOut.close();
});
