import { apiRoute } from "@/lib/api/handler";
import { exchangePublicToken } from "@/lib/api/operations/link";
import { exchangePublicToken as exchange } from "@/lib/link/sessions";

export const dynamic = "force-dynamic";

export const POST = apiRoute(exchangePublicToken, async ({ body, scope, engine }) => exchange(engine, scope, body.public_token));
