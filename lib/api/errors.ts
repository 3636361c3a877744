// Errors of the public API, always `{ error_type, error_code, error_message }` (Rutter's shape) with
// the right status; a bad input also names its field. Nothing internal (stacks, SQL) ever leaks.
import { BodyTooLargeError } from "@/lib/input";
import { InvalidJobError } from "@/lib/jobs/definition";
import { JobConflictError, JobNotFoundError } from "@/lib/jobs/store";
import { LinkError } from "@/lib/link/sessions";
import { InvalidConfigurationError } from "@/lib/sync/configuration";
import { SyncRequestError } from "@/lib/sync/planner";
import { ReadError } from "@/lib/sync/reads";
import { InvalidEndpointError } from "@/lib/webhooks/endpoints";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    readonly errorCode: string,
    message: string,
    readonly field: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const unauthorized = (message = "Authenticate with HTTP Basic auth: your client id and secret") =>
  new ApiError(401, "AUTHENTICATION_ERROR", "INVALID_CREDENTIALS", message);
export const notFound = (what: string) => new ApiError(404, "NOT_FOUND", "NOT_FOUND", `No ${what}`);
export const invalid = (field: string, message: string) => new ApiError(400, "INVALID_REQUEST", "INVALID_FIELD", `${field}: ${message}`, field);

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof BodyTooLargeError) return new ApiError(413, "INVALID_REQUEST", "BODY_TOO_LARGE", error.message);
  if (error instanceof ReadError) {
    if (error.code === "PRODUCT_NOT_READY") return new ApiError(409, "CONNECTION_ERROR", "PRODUCT_NOT_READY", error.message);
    if (error.code === "CONNECTION_NOT_FOUND") return notFound("connection for this access token");
    if (error.code === "PLATFORM_RATE_LIMITED") {
      const seconds = String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)));
      return new ApiError(429, "RATE_LIMIT_ERROR", "PLATFORM_RATE_LIMITED", error.message, null, { "Retry-After": seconds });
    }
    return new ApiError(400, "INVALID_REQUEST", "INVALID_FIELD", `${error.field ?? "request"}: ${error.message}`, error.field);
  }
  if (error instanceof LinkError) {
    // The API meets Link's errors when creating sessions and exchanging public tokens: all bad input.
    return new ApiError(400, "INVALID_REQUEST", error.code === "INVALID_FIELD" ? "INVALID_FIELD" : error.code, error.message, error.field);
  }
  if (error instanceof SyncRequestError) {
    if (error.code === "CONNECTION_NOT_FOUND") return notFound("such connection");
    if (error.code === "CONNECTION_NOT_SYNCING") return new ApiError(409, "CONNECTION_ERROR", "CONNECTION_NOT_SYNCING", error.message);
    const first = error.problems[0];
    return new ApiError(400, "INVALID_REQUEST", "INVALID_FIELD", error.message, first?.path ?? null);
  }
  if (error instanceof InvalidEndpointError || error instanceof InvalidConfigurationError) {
    return new ApiError(400, "INVALID_REQUEST", "INVALID_FIELD", error.message, error.problems[0]?.path ?? null);
  }
  if (error instanceof InvalidJobError) {
    // Every problem is in the message ("field: message; …"); the first one's field is named.
    return new ApiError(400, "INVALID_REQUEST", "INVALID_FIELD", error.message, error.problems[0]?.field ?? null);
  }
  if (error instanceof JobNotFoundError) {
    // A path id that names nothing is a 404; a body field that does (sync_job_id, connection_id…) is a bad input.
    return error.field
      ? invalid(error.field, `no ${error.what.replace(/^such /, "")} with this id in this organization and environment`)
      : notFound(error.what);
  }
  if (error instanceof JobConflictError) return new ApiError(409, "SYNC_JOB_ERROR", error.code, error.message);
  return new ApiError(500, "INTERNAL_ERROR", "INTERNAL_ERROR", "Something went wrong on our side; it has been logged");
}

export function errorResponse(error: unknown): Response {
  const apiError = toApiError(error);
  if (apiError.status === 500) console.error(error);
  const body: Record<string, unknown> = { error_type: apiError.errorType, error_code: apiError.errorCode, error_message: apiError.message };
  if (apiError.field) body.field = apiError.field;
  return Response.json(body, { status: apiError.status, headers: apiError.headers });
}
