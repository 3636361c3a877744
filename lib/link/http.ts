// Link's own JSON endpoints (/link/api/*): the session token in the body is the credential; answers
// are `{ error_code, error_message, field }` like the API's, which Link shows next to the field, with
// the status of the code in the one error table (lib/errors.ts).
// Bodies are read within LINK_BODY_LIMIT (anyone can call these routes) by lib/input, like every edge.
import { z } from "zod";
import { BodyTooLargeError, bodyTooLargeResponse, readBodyText, readJsonInput, where } from "@/lib/input";
import { issueField, issueMessage } from "@/lib/input/issues";
import { ERRORS } from "@/lib/errors";
import { LinkError } from "./sessions";

/** A session token, a platform, an account name and at most a 1,000-character API key: a few kilobytes. */
export const LINK_BODY_LIMIT = 16 * 1024;

const invalid = (code: "INVALID_JSON" | "INVALID_FIELD", field: string, message: string) =>
  Response.json({ error_code: code, error_message: `${field}: ${message}`, field }, { status: ERRORS[code].status });

export async function linkEndpoint<T extends z.ZodType>(request: Request, schema: T, handler: (body: z.output<T>) => Promise<unknown>): Promise<Response> {
  try {
    const text = await readBodyText(request, LINK_BODY_LIMIT);
    const input = readJsonInput(text.trim() ? text : "{}");
    if (!input.ok && input.syntax) return invalid("INVALID_JSON", "body", `not valid JSON: ${input.message} ${where(input)}`);
    if (!input.ok) return invalid("INVALID_FIELD", input.field || "body", input.message);
    const parsed = schema.safeParse(input.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return invalid("INVALID_FIELD", issueField(issue), issueMessage(issue));
    }
    return Response.json(await handler(parsed.data), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof BodyTooLargeError) return bodyTooLargeResponse(error);
    if (error instanceof LinkError)
      return Response.json({ error_code: error.code, error_message: error.message, field: error.field }, { status: ERRORS[error.code].status });
    console.error(error);
    return Response.json({ error_code: "INTERNAL_ERROR", error_message: "Something went wrong on our side. Try again." }, { status: 500 });
  }
}
