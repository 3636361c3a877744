// The dashboard's client side of its JSON routes (lib/dashboard/route.ts): the body, or a
// RequestFailed that carries what the error table said (code, message, the field at fault), so a
// component can tell a bad search (400) from a connection not ready yet (409) from a lost session.
export class RequestFailed extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "RequestFailed";
  }
}

/** React Query's retry for these reads: a refusal (4xx) is not retried, a failure of the server is, twice. */
export const retryServerErrors = (failures: number, error: Error) => !(error instanceof RequestFailed && error.status < 500) && failures < 2;

export async function getDashboardJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, cache: "no-store", headers: { accept: "application/json" } });
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => null)) as { error_code?: string; error_message?: string; field?: string } | null;
  if (response.status === 401) throw new RequestFailed("Your session ended: sign in again.", 401, body?.error_code ?? null);
  throw new RequestFailed(body?.error_message ?? `The server answered ${response.status}.`, response.status, body?.error_code ?? null, body?.field ?? null);
}
