// Errors of the public API, always `{ error_type, error_code, error_message }` (Rutter's shape) with
// the status of the code in the one error table (lib/errors.ts); a bad input also names its field.
// Nothing internal (stacks, SQL) ever leaks.
import { CodedError, type ErrorCode, type PublicError } from "@/lib/errors";

/** An answer of the API's own (authentication, rate limit, a body that is not JSON): a code of the one table, lib/errors.ts. */
export class ApiError extends CodedError {
  constructor(
    readonly errorCode: ErrorCode,
    message: string,
    readonly field: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
  publicError(): PublicError {
    return { code: this.errorCode, message: this.message, field: this.field, headers: this.headers };
  }
}

export const unauthorized = (message = "Authenticate with HTTP Basic auth: your client id and secret") => new ApiError("INVALID_CREDENTIALS", message);
export const notFound = (what: string) => new ApiError("NOT_FOUND", `No ${what}`);
export const invalid = (field: string, message: string) => new ApiError("INVALID_FIELD", `${field}: ${message}`, field);

/** Any error as the API answers it: a coded one as it says; anything else is a 500 that tells nothing. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof CodedError) {
    const { code, message, field, headers } = error.publicError();
    return new ApiError(code, message, field ?? null, headers ?? {});
  }
  return new ApiError("INTERNAL_ERROR", "Something went wrong on our side; it has been logged");
}

export function errorResponse(error: unknown): Response {
  const apiError = toApiError(error);
  if (apiError.status === 500) console.error(error);
  const body: Record<string, unknown> = { error_type: apiError.errorType, error_code: apiError.errorCode, error_message: apiError.message };
  if (apiError.field) body.field = apiError.field;
  return Response.json(body, { status: apiError.status, headers: apiError.headers });
}
