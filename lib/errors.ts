// The one error table: every code Tributary answers with, its HTTP status and its type (Rutter's
// `error_type`). The REST API (lib/api/errors.ts), Link's endpoints (lib/link/http.ts) and every 413
// (lib/input/body.ts) take the status from here. A domain error extends CodedError and says what the
// outside sees of it (code, message, the field at fault); the edge that renders it needs to know
// nothing else about it.

export const ERRORS = {
  // Bad input.
  INVALID_FIELD: { status: 400, type: "INVALID_REQUEST" },
  INVALID_JSON: { status: 400, type: "INVALID_REQUEST" },
  BODY_TOO_LARGE: { status: 413, type: "INVALID_REQUEST" },
  // Who is asking.
  INVALID_CREDENTIALS: { status: 401, type: "AUTHENTICATION_ERROR" },
  NOT_SIGNED_IN: { status: 401, type: "AUTHENTICATION_ERROR" },
  INNGEST_CALL_REFUSED: { status: 403, type: "AUTHENTICATION_ERROR" },
  // A platform's change notification (app/api/platform-webhooks) whose signature does not verify.
  WEBHOOK_SIGNATURE_INVALID: { status: 401, type: "AUTHENTICATION_ERROR" },
  NOT_FOUND: { status: 404, type: "NOT_FOUND" },
  // The connection's state.
  PRODUCT_NOT_READY: { status: 409, type: "CONNECTION_ERROR" },
  CONNECTION_NOT_SYNCING: { status: 409, type: "CONNECTION_ERROR" },
  PLATFORM_UNAVAILABLE: { status: 502, type: "CONNECTION_ERROR" },
  // A write the platform refused (its validation): its reason and, where it named one, the field.
  PLATFORM_REFUSED_WRITE: { status: 422, type: "PLATFORM_ERROR" },
  // Limits.
  PLATFORM_RATE_LIMITED: { status: 429, type: "RATE_LIMIT_ERROR" },
  RATE_LIMIT_EXCEEDED: { status: 429, type: "RATE_LIMIT_ERROR" },
  // Idempotency-Key (lib/api/idempotency.ts).
  IDEMPOTENCY_KEY_REUSED: { status: 409, type: "IDEMPOTENCY_ERROR" },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, type: "IDEMPOTENCY_ERROR" },
  // Link (lib/link/sessions.ts): a session that names nothing is gone for good (404), one that ended is 410.
  LINK_SESSION_NOT_FOUND: { status: 404, type: "INVALID_REQUEST" },
  LINK_SESSION_EXPIRED: { status: 410, type: "INVALID_REQUEST" },
  LINK_SESSION_COMPLETED: { status: 410, type: "INVALID_REQUEST" },
  PLATFORM_NOT_ALLOWED: { status: 400, type: "INVALID_REQUEST" },
  INVALID_ACCOUNT: { status: 400, type: "INVALID_REQUEST" },
  ACCOUNT_CHOICE_REQUIRED: { status: 400, type: "INVALID_REQUEST" },
  ACCESS_DENIED: { status: 400, type: "INVALID_REQUEST" },
  PLATFORM_REFUSED: { status: 400, type: "INVALID_REQUEST" },
  INVALID_API_KEY: { status: 400, type: "INVALID_REQUEST" },
  PLATFORM_ERROR: { status: 400, type: "INVALID_REQUEST" },
  INVALID_PUBLIC_TOKEN: { status: 400, type: "INVALID_REQUEST" },
  // Sync jobs and webhook deliveries in a state that refuses the request.
  RUN_FINISHED: { status: 409, type: "SYNC_JOB_ERROR" },
  DELIVERY_NOT_PENDING: { status: 409, type: "DELIVERY_ERROR" },
  DELIVERY_IN_FLIGHT: { status: 409, type: "DELIVERY_ERROR" },
  INTERNAL_ERROR: { status: 500, type: "INTERNAL_ERROR" },
} as const satisfies Record<string, { status: number; type: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** What the outside sees of an error: its code in the table, a sentence, the input at fault, headers (Retry-After). */
export interface PublicError {
  code: ErrorCode;
  message: string;
  field?: string | null;
  headers?: Record<string, string>;
}

/** An error with a code in the table. */
export abstract class CodedError extends Error {
  abstract publicError(): PublicError;
  /** The HTTP status its code answers with. */
  get status(): number {
    return ERRORS[this.publicError().code].status;
  }
  /** Rutter's error type for its code. */
  get errorType(): string {
    return ERRORS[this.publicError().code].type;
  }
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

/** `Retry-After` for a wait in milliseconds: whole seconds, at least one (a client told 0 would retry at once). */
export function retryAfterHeader(ms: number | null | undefined): { "Retry-After": string } {
  return { "Retry-After": String(Math.max(1, Math.ceil((ms ?? 1000) / 1000))) };
}
