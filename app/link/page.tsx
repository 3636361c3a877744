// Link's page: /link?token=…&origin=…&mode=iframe|popup, opened by /link.js (or directly from a
// session's link_url), or /link?relink=… from a connection's re-link URL. The session or the URL is
// checked here, read only; the flow runs in the browser (link-app.tsx).
import { LinkError, openLinkSession, openRelinkView, type LinkView } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";
import { LinkApp } from "./link-app";

export const dynamic = "force-dynamic";
export const metadata = { title: "Connect an account" };

export default async function LinkPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";
  const token = first(query.token);
  const mode = first(query.mode) === "iframe" ? "iframe" : first(query.mode) === "popup" ? "popup" : "page";
  let hostOrigin: string | null = null;
  try {
    const origin = new URL(first(query.origin));
    if (origin.protocol === "https:" || origin.protocol === "http:") hostOrigin = origin.origin;
  } catch {
    hostOrigin = null;
  }
  let view: LinkView | null = null;
  let error: { error_code: string; error_message: string } | null = null;
  const relink = first(query.relink);
  if (relink && !token) {
    // A connection's re-link URL: shown without a session, which Link starts when the end user does
    // (so a link previewer fetching the URL creates nothing).
    try {
      view = await openRelinkView(getEngine(), relink);
    } catch (cause) {
      if (!(cause instanceof LinkError)) throw cause;
      error = { error_code: cause.code, error_message: cause.message };
    }
    return <LinkApp token="" relink={relink} hostOrigin={null} mode="page" view={view} error={error} />;
  }
  try {
    view = await openLinkSession(getEngine(), token);
  } catch (cause) {
    if (!(cause instanceof LinkError)) throw cause;
    error = { error_code: cause.code, error_message: cause.message };
  }
  return <LinkApp token={token} hostOrigin={hostOrigin} mode={mode} view={view} error={error} />;
}
