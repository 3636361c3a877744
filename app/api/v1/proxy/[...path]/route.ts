import { proxyDelete, proxyGet, proxyPatch, proxyPost, proxyPut } from "@/lib/api/operations/proxy";
import { proxyRoute } from "@/lib/api/proxy";

export const dynamic = "force-dynamic";

export const GET = proxyRoute(proxyGet);
export const POST = proxyRoute(proxyPost);
export const PUT = proxyRoute(proxyPut);
export const PATCH = proxyRoute(proxyPatch);
export const DELETE = proxyRoute(proxyDelete);
