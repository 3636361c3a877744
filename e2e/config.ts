// The end-to-end test server's settings, shared by playwright.config.ts and the tests. E2E_PORT
// moves the whole set (app, embedded database, sandbox, data and build directories), so two
// checkouts can run their end-to-end tests at once.
const port = Number(process.env.E2E_PORT || 3100);
const shift = port - 3100;
const databasePort = 54330 + shift;
const databasePassword = "e2e-database-password-4c1d";

export const E2E = {
  port,
  baseUrl: `http://localhost:${port}`,
  databasePort,
  databasePassword,
  /** The embedded database of the end-to-end server, for tests that set up rows directly. */
  databaseUrl: `postgresql://postgres:${databasePassword}@127.0.0.1:${databasePort}/postgres`,
  sandboxPort: 4110 + shift,
  dataDir: shift ? `.data/e2e-${port}` : ".data/e2e",
  distDir: shift ? `.next-e2e-${port}` : ".next-e2e",
  adminEmail: "admin@tributary.local",
  adminPassword: "e2e-admin-password-7f3a",
} as const;
