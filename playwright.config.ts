// End-to-end tests drive Debian's Chromium (Playwright cannot download its own browsers here)
// against a real `npm run dev` on its own port, data directory and build directory, so they run
// beside a developer's own dev server and always start from an empty database.
import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { E2E } from "./e2e/config";

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Pages compile on first visit in dev mode.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: E2E.baseUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: existsSync(chromium) ? chromium : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: `rm -rf ${E2E.dataDir} && npm run dev`,
    url: `${E2E.baseUrl}/sign-in`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(E2E.port),
      TRIBUTARY_DATA_DIR: E2E.dataDir,
      TRIBUTARY_EMBEDDED_DB_PORT: String(E2E.databasePort),
      TRIBUTARY_EMBEDDED_DB_PASSWORD: E2E.databasePassword,
      TRIBUTARY_SANDBOX_PORT: String(E2E.sandboxPort),
      TRIBUTARY_NEXT_DIST_DIR: E2E.distDir,
      TRIBUTARY_ADMIN_PASSWORD: E2E.adminPassword,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
