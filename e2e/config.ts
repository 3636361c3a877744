// The end-to-end test server's settings, shared by playwright.config.ts and the tests.
export const E2E = {
  port: 3100,
  baseUrl: "http://localhost:3100",
  databasePort: 54330,
  sandboxPort: 4110,
  dataDir: ".data/e2e",
  adminEmail: "admin@tributary.local",
  adminPassword: "e2e-admin-password-7f3a",
} as const;
