// Where a proxied request goes: one rule for the proxy API (/api/v1/proxy) and the sync jobs' proxy
// resources, so neither can reach outside the platform's API.
/** Refused proxy paths name the field they came in: the API answers 400 INVALID_FIELD naming `path`. */
export class ProxyPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProxyPathError";
  }
}

/**
 * The platform URL a proxied path stands for: `base` + `path` + `search`, refused (ProxyPathError)
 * when the path is an absolute URL or protocol-relative, holds a dot segment (also percent-encoded) or
 * a backslash, or would resolve anywhere but under `base` on its host.
 */
export function proxyUrl(base: string, path: string, search: string): string {
  if (!path.startsWith("/") || path === "/") throw new ProxyPathError("must name a path under the platform's API, e.g. /tickets.json");
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new ProxyPathError("is not a valid percent-encoded path");
  }
  if (/^\/*[a-z][a-z0-9+.-]*:/i.test(decoded) || decoded.startsWith("//"))
    throw new ProxyPathError("must be a path under the platform's API, not an absolute URL");
  if (decoded.includes("\\")) throw new ProxyPathError("must not hold a backslash");
  if (decoded.split("/").some((segment) => segment === "." || segment === "..")) throw new ProxyPathError("must not hold . or .. segments");
  const root = new URL(base);
  const url = new URL(root.href.replace(/\/$/, "") + path + search);
  const under = root.pathname.replace(/\/$/, "") + "/";
  if (url.origin !== root.origin || !url.pathname.startsWith(under)) throw new ProxyPathError(`must stay under the platform's API (${under})`);
  return url.href;
}
