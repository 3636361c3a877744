// The API's OpenAPI 3.1 document, generated from the operations' declarations. Public: it describes
// the API, it reveals nothing of any organization.
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
