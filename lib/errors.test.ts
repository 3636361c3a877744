// The one error table: every code the domain can raise has a row, and the edges answer with it —
// the API and Link give an expired Link session the same 410, and a domain error the API never
// heard of is still answered by its code (the API imports no domain module to do it).
import { describe, expect, it } from "vitest";
import { errorResponse } from "@/lib/api/errors";
import { ERRORS, isErrorCode, retryAfterHeader } from "./errors";
import { BodyTooLargeError } from "./input/body";
import { LinkError, type LinkErrorCode } from "./link/sessions";
import { ReadError } from "./sync/reads";
import { JobConflictError, JobNotFoundError } from "./jobs/store";

const LINK_CODES: LinkErrorCode[] = [
  "LINK_SESSION_NOT_FOUND",
  "LINK_SESSION_EXPIRED",
  "LINK_SESSION_COMPLETED",
  "PLATFORM_NOT_ALLOWED",
  "INVALID_ACCOUNT",
  "ACCOUNT_CHOICE_REQUIRED",
  "ACCESS_DENIED",
  "PLATFORM_REFUSED",
  "INVALID_API_KEY",
  "PLATFORM_ERROR",
  "INVALID_PUBLIC_TOKEN",
  "INVALID_FIELD",
];

const answer = async (error: unknown) => {
  const response = errorResponse(error);
  return { status: response.status, headers: Object.fromEntries(response.headers), body: (await response.json()) as Record<string, unknown> };
};

describe("the error table", () => {
  it("has a row for every code Link raises", () => {
    for (const code of LINK_CODES) expect(isErrorCode(code), code).toBe(true);
    expect(isErrorCode("SOMETHING_ELSE")).toBe(false);
  });

  it("answers a Link session the same status wherever it is met", async () => {
    expect(ERRORS.LINK_SESSION_EXPIRED.status).toBe(410);
    expect(await answer(new LinkError("LINK_SESSION_EXPIRED", "This link has expired"))).toMatchObject({
      status: 410,
      body: { error_type: "INVALID_REQUEST", error_code: "LINK_SESSION_EXPIRED", error_message: "This link has expired" },
    });
  });

  it("renders domain errors by what they say of themselves", async () => {
    expect(await answer(new ReadError("PLATFORM_RATE_LIMITED", "Shopify is rate limiting", null, 2500))).toMatchObject({
      status: 429,
      headers: { "retry-after": "3" },
      body: { error_type: "RATE_LIMIT_ERROR", error_code: "PLATFORM_RATE_LIMITED" },
    });
    expect(await answer(new ReadError("INVALID_REQUEST", "must be at most 500", "limit"))).toMatchObject({
      status: 400,
      body: { error_code: "INVALID_FIELD", error_message: "limit: must be at most 500", field: "limit" },
    });
    expect(await answer(new JobNotFoundError("such connection", "connection_id"))).toMatchObject({ status: 400, body: { field: "connection_id" } });
    expect(await answer(new JobNotFoundError("such sync job", null))).toMatchObject({
      status: 404,
      body: { error_code: "NOT_FOUND", error_message: "No such sync job" },
    });
    expect(await answer(new JobConflictError("RUN_FINISHED", "The run already ended (completed)"))).toMatchObject({
      status: 409,
      body: { error_type: "SYNC_JOB_ERROR" },
    });
    expect(await answer(new BodyTooLargeError(1024))).toMatchObject({ status: 413, body: { error_code: "BODY_TOO_LARGE" } });
  });

  it("answers anything else as a 500 that tells nothing", async () => {
    const quiet = console.error;
    console.error = () => undefined;
    try {
      expect(await answer(new Error('relation "records" does not exist'))).toEqual({
        status: 500,
        headers: expect.any(Object),
        body: { error_type: "INTERNAL_ERROR", error_code: "INTERNAL_ERROR", error_message: "Something went wrong on our side; it has been logged" },
      });
    } finally {
      console.error = quiet;
    }
  });

  it("says Retry-After in whole seconds, at least one, for every platform wait (reads, writes, the proxy)", async () => {
    expect([0, 1, 999, 1000, 1001, 61_500].map((ms) => retryAfterHeader(ms)["Retry-After"])).toEqual(["1", "1", "1", "1", "2", "62"]);
    expect(retryAfterHeader(undefined)).toEqual({ "Retry-After": "1" });
    const { WriteError } = await import("./sync/writes");
    const response = errorResponse(new WriteError("PLATFORM_RATE_LIMITED", "later", null, 2500));
    expect([response.status, response.headers.get("retry-after")]).toEqual([429, "3"]);
  });
});
