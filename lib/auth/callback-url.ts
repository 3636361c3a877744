// Where to send a browser after sign-in (the `callbackUrl` of the sign-in page, next-auth's redirect
// callback, the proxy's redirect to sign-in): a path on this site, never another one.
//
// Decided by the URL parser, never by looking at the string: browsers read `/\evil.example`,
// `/<tab>/evil.example` and `/<newline>/evil.example` as `//evil.example`, another host, which a
// "starts with / but not //" check lets through. The target is resolved against the app's origin and
// kept only if it stays there; what is returned is the parser's own path, query and fragment, and a
// path that itself starts with `//` (`/.//evil.example` resolves to one) is refused too, since the
// browser would read it as another host again.

/** A same-origin path (`/connections?x=1`) for `target`, or `fallback` when it would leave `origin`. */
export function safeRedirectPath(target: unknown, origin: string, fallback = "/"): string {
  if (typeof target !== "string" || target === "") return fallback;
  const base = new URL(origin).origin;
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base || url.pathname.startsWith("//")) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Belt and braces: what we hand out must resolve to this origin once more.
  return new URL(path, base).origin === base ? path : fallback;
}
