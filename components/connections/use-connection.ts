"use client";

// React Query hooks for one connection's page: its status (polled every 2 s while a run is queued or
// running, every 30 s otherwise), its event log and its records. Each reads a small session-checked
// route under /api/dashboard/connections/[id].
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ConnectionStatusJson } from "@/lib/presenters/connections-detail";
import type { EventPageJson } from "@/lib/presenters/connections-events";
import type { RecordPage } from "@/lib/sync/reads";
import type { RecordColumn } from "@/lib/unified/columns";
import { timelineKey } from "@/components/timeline/use-timeline";
import { getDashboardJson as getJson, RequestFailed, retryServerErrors } from "@/lib/dashboard/fetch-json";

export { RequestFailed };

export const ACTIVE_POLL_MS = 2_000;
export const IDLE_POLL_MS = 30_000;

export const statusKey = (id: string) => ["connection-status", id] as const;

export function isSyncing(status: ConnectionStatusJson | undefined): boolean {
  return Boolean(status && status.activeRuns.length > 0);
}

export function useConnectionStatus(id: string, initial?: ConnectionStatusJson) {
  return useQuery({
    queryKey: statusKey(id),
    queryFn: () => getJson<ConnectionStatusJson>(`/api/dashboard/connections/${encodeURIComponent(id)}/status`),
    initialData: initial,
    // The server read `initial` when it rendered the page: poll from the next interval on.
    initialDataUpdatedAt: initial ? Date.parse(initial.now) : undefined,
    refetchInterval: (query) => (isSyncing(query.state.data) ? ACTIVE_POLL_MS : IDLE_POLL_MS),
    // A hidden tab stops polling; coming back to it refetches at once (refetchOnWindowFocus).
    staleTime: 1_000,
  });
}

/**
 * After an action: fetch the status now (it starts fast polling when a run was queued), and the
 * timeline, which stops polling when nothing runs and would not otherwise see the run just queued.
 */
export function useRefreshStatus(id: string) {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: statusKey(id) }), client.invalidateQueries({ queryKey: timelineKey(id) })]);
}

/**
 * `version` names the connection's state (latest run and health): the first page is read again when it changes.
 * `search` holds the log's other filters as the route names them (event_id, record_id, run_id, from, to).
 */
export function useConnectionEvents(
  id: string,
  type: string | null,
  cursor: string | null,
  live: boolean,
  version: string,
  search: Record<string, string> = {},
) {
  const params = new URLSearchParams(search);
  if (type) params.set("type", type);
  if (cursor) params.set("cursor", cursor);
  return useQuery({
    // Later pages stay as they are: what is older than their cursor does not change.
    queryKey: ["connection-events", id, type, cursor, cursor ? null : version, search],
    queryFn: () => getJson<EventPageJson>(`/api/dashboard/connections/${encodeURIComponent(id)}/events?${params}`),
    placeholderData: keepPreviousData,
    // A search the route refuses (a bad date) is answered at once, not after three retries.
    retry: retryServerErrors,
    // Only the newest page grows while a run writes events.
    refetchInterval: live && !cursor ? ACTIVE_POLL_MS * 2 : false,
  });
}

/** A page of the data browser, with the object's columns from its category's contract. */
export type BrowserPage = RecordPage & { columns: RecordColumn[] };

/** What the browser narrows the object's records to: one id (exact), or a text search. */
export type RecordFilter = { by: "id" | "search"; value: string } | null;

export function useConnectionRecords(id: string, object: string | null, cursor: string | null, version: string, filter: RecordFilter = null) {
  const params = new URLSearchParams();
  if (object) params.set("object", object);
  if (cursor) params.set("cursor", cursor);
  if (filter) params.set(filter.by, filter.value);
  return useQuery({
    queryKey: ["connection-records", id, object, cursor, version, filter?.by ?? null, filter?.value ?? null],
    queryFn: () => getJson<BrowserPage>(`/api/dashboard/connections/${encodeURIComponent(id)}/records?${params}`),
    enabled: Boolean(object),
    placeholderData: keepPreviousData,
    retry: retryServerErrors,
  });
}
