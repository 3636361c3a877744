// Where the embedded database's password comes from: the setting, else a file generated once in the
// data directory that only its owner can read.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { embeddedDatabasePassword, embeddedPasswordPath } from "./bootstrap";

describe("the embedded database's password", () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "tributary-bootstrap-"));
    saved = process.env.TRIBUTARY_DATA_DIR;
    process.env.TRIBUTARY_DATA_DIR = path.join(dir, "data");
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TRIBUTARY_DATA_DIR;
    else process.env.TRIBUTARY_DATA_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("is generated once into the data directory, mode 0600, and kept across starts", () => {
    const first = embeddedDatabasePassword({});
    expect(first.source).toBe(embeddedPasswordPath());
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(embeddedPasswordPath()).mode & 0o777).toBe(0o600);
    expect(readFileSync(embeddedPasswordPath(), "utf8").trim()).toBe(first.password);
    expect(embeddedDatabasePassword({}).password).toBe(first.password);
  });

  it("is TRIBUTARY_EMBEDDED_DB_PASSWORD when set, and then nothing is written", () => {
    expect(embeddedDatabasePassword({ TRIBUTARY_EMBEDDED_DB_PASSWORD: "from-the-environment" })).toEqual({
      password: "from-the-environment",
      source: "TRIBUTARY_EMBEDDED_DB_PASSWORD",
    });
    expect(() => statSync(embeddedPasswordPath())).toThrow();
  });
});
