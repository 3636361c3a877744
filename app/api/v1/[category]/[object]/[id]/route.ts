import { apiRoute } from "@/lib/api/handler";
import { updateRecord } from "@/lib/api/operations/writes";
import { serveWrite } from "@/lib/api/writes";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute(updateRecord, (context) => serveWrite(context, "update"));
