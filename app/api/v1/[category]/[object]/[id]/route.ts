import { apiRoute } from "@/lib/api/handler";
import { deleteRecord, updateRecord } from "@/lib/api/operations/writes";
import { serveDelete, serveWrite } from "@/lib/api/writes";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute(updateRecord, (context) => serveWrite(context, "update"));

export const DELETE = apiRoute(deleteRecord, (context) => serveDelete(context));
