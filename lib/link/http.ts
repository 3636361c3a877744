// Link's own JSON endpoints (/link/api/*): the session token in the body is the credential; answers
// are `{ error_code, error_message, field }` like the API's, which Link shows next to the field.
import { z } from "zod";
import { LinkError } from "./sessions";

export async function linkEndpoint<T extends z.ZodType>(request: Request, schema: T, handler: (body: z.output<T>) => Promise<unknown>): Promise<Response> {
  try {
    const parsed = schema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join(".") || "body";
      return Response.json({ error_code: "INVALID_FIELD", error_message: `${field}: ${issue.message}`, field }, { status: 400 });
    }
    return Response.json(await handler(parsed.data), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof LinkError) {
      const status = error.code === "LINK_SESSION_NOT_FOUND" ? 404 : error.code === "LINK_SESSION_EXPIRED" || error.code === "LINK_SESSION_COMPLETED" ? 410 : 400;
      return Response.json({ error_code: error.code, error_message: error.message, field: error.field }, { status });
    }
    console.error(error);
    return Response.json({ error_code: "INTERNAL_ERROR", error_message: "Something went wrong on our side. Try again." }, { status: 500 });
  }
}
