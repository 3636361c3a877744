// The start scripts as an operator meets them: a bad configuration ends with one line, no stack trace.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = mkdtempSync(path.join(tmpdir(), "tributary-launch-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function runScript(script: string, env: Record<string, string>) {
  const result = spawnSync(path.resolve("node_modules/.bin/tsx"), [script], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "development", TRIBUTARY_DATA_DIR: dataDir, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  const errorLines = result.stderr.split("\n").filter((line) => line.trim() && !line.includes("Generated a development secret key"));
  return { status: result.status, errorLines, stdout: result.stdout };
}

describe("start-up errors", () => {
  it("a database that cannot be reached: one line naming the host, the password masked", () => {
    const { status, errorLines } = runScript("scripts/dev.ts", {
      DATABASE_URL: "postgresql://tributary:hunter2@127.0.0.1:1/tributary",
    });
    expect(status).toBe(1);
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/^✖ Cannot reach the database at postgresql:\/\/tributary:\*\*\*@127\.0\.0\.1:1\/tributary: .*ECONNREFUSED/);
    expect(errorLines[0]).not.toContain("hunter2");
  });

  it("a DATABASE_URL that is not a PostgreSQL URL: one line", () => {
    const { status, errorLines } = runScript("scripts/dev.ts", { DATABASE_URL: "mysql://root@localhost/db" });
    expect(status).toBe(1);
    expect(errorLines).toEqual(["✖ DATABASE_URL must start with postgresql://, got mysql://"]);
  });

  it("a TRIBUTARY_HOST that is not an address: one line", () => {
    const { status, errorLines } = runScript("scripts/dev.ts", { TRIBUTARY_HOST: "0.0.0.0:3000" });
    expect(status).toBe(1);
    expect(errorLines).toEqual(['✖ TRIBUTARY_HOST must be an address or a host name (127.0.0.1, 0.0.0.0, ::), got "0.0.0.0:3000"']);
  });

  it("production without TRIBUTARY_SECRET_KEY: one line saying how to make one", () => {
    const { status, errorLines } = runScript("scripts/start.ts", {});
    expect(status).toBe(1);
    expect(errorLines).toEqual([
      "✖ TRIBUTARY_SECRET_KEY is required in production (secrets are encrypted with it): generate one with `openssl rand -base64 32`",
    ]);
  });
});
