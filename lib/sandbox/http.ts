// The sandbox's request/response shapes: platform handlers are functions of these, so they can be
// tested without a socket and served by one Node HTTP server (lib/sandbox/server.ts).

export interface SandboxRequest {
  method: string;
  /** Path below the platform's base path and account, e.g. "/admin/api/2024-10/products.json". */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined. */
  body: unknown;
  /** Base URL of this account's API as clients see it, for absolute links (Link headers, next_page). */
  baseUrl: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is a string. */
  body?: unknown;
  /** A body written piece by piece, for answers too large to hold in memory (ground truth of 1M records). */
  chunks?: Iterable<string | Uint8Array>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body, headers };
}
