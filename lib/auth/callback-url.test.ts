// Every spelling of "another site" that a string-prefix check lets through, and the same-origin
// paths that must survive, resolved by the URL parser against the app's origin.
import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./callback-url";

const ORIGIN = "http://localhost:3000";

describe("the redirect target after sign-in", () => {
  it("keeps paths on this site, with their query and fragment, and same-origin absolute URLs as paths", () => {
    expect(safeRedirectPath("/connections", ORIGIN)).toBe("/connections");
    expect(safeRedirectPath("/sync-jobs/runs/jrun_1?tab=events#x", ORIGIN)).toBe("/sync-jobs/runs/jrun_1?tab=events#x");
    expect(safeRedirectPath("http://localhost:3000/settings", ORIGIN)).toBe("/settings");
    expect(safeRedirectPath("/", ORIGIN)).toBe("/");
    // Encoded slashes stay inside the path: a page of this site (a 404 at worst), not a host.
    expect(safeRedirectPath("/%2F%2Fevil.example", ORIGIN)).toBe("/%2F%2Fevil.example");
    expect(safeRedirectPath("/%5Cevil.example", ORIGIN)).toBe("/%5Cevil.example");
  });

  it.each([
    // The two spellings the review found (as the sign-in page receives them, decoded), then the rest.
    ["backslash after the slash (/%5C)", "/\\evil.example/x"],
    ["tab between the slashes (/%09/)", "/\t/evil.example/x"],
    ["newline between the slashes", "/\n/evil.example/x"],
    ["carriage return between the slashes", "/\r/evil.example/x"],
    ["protocol-relative", "//evil.example/x"],
    ["two backslashes", "\\\\evil.example/x"],
    ["slash and backslash", "/\\/evil.example"],
    ["backslash and slash", "\\/evil.example"],
    ["absolute https", "https://evil.example/x"],
    ["absolute http with another port", "http://localhost:3001/x"],
    ["scheme-relative with credentials", "//localhost:3000@evil.example/"],
    ["javascript:", "javascript:alert(document.cookie)"],
    ["JavaScript: with case and spaces", " JavaScript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["a path the parser folds into //", "/.//evil.example"],
    ["dot segments folding into //", "/a/../..//evil.example"],
    ["leading whitespace then //", "  //evil.example"],
  ])("refuses %s", (_name, target) => {
    expect(safeRedirectPath(target, ORIGIN)).toBe("/");
  });

  it("refuses what is not a string, and falls back to what the caller names", () => {
    expect(safeRedirectPath(undefined, ORIGIN)).toBe("/");
    expect(safeRedirectPath(["/a", "/b"], ORIGIN)).toBe("/");
    expect(safeRedirectPath("", ORIGIN)).toBe("/");
    expect(safeRedirectPath("//evil.example", ORIGIN, "/sign-in")).toBe("/sign-in");
  });
});
