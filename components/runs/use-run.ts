"use client";
// React Query hooks for a sync run's page: the run, polled while it is active, and its request log's
// pages (kept while the next loads, so paging does not flash empty).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { RunPageJson, RunRequestPageJson } from "@/lib/runs/run-page";
import { getDashboardJson as getJson } from "@/lib/dashboard/fetch-json";

export const RUN_POLL_MS = 2_000;

const base = (connectionId: string, runId: string) => `/api/dashboard/connections/${encodeURIComponent(connectionId)}/runs/${encodeURIComponent(runId)}`;

export function useRun(initial: RunPageJson) {
  return useQuery({
    queryKey: ["sync-run", initial.run.id],
    queryFn: ({ signal }) => getJson<RunPageJson>(base(initial.connection.id, initial.run.id), signal),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.now),
    refetchInterval: (query) => (query.state.data?.active ? RUN_POLL_MS : false),
    staleTime: 1_000,
  });
}

/** A page of the request log after `after`; the first unfiltered page comes with the run, polled with it. */
export function useRunRequests(connectionId: string, runId: string, after: number, failuresOnly: boolean, first: RunRequestPageJson) {
  const initial = after === 0 && !failuresOnly;
  return useQuery({
    queryKey: ["sync-run-requests", runId, after, failuresOnly],
    queryFn: ({ signal }) => getJson<RunRequestPageJson>(`${base(connectionId, runId)}/requests?after=${after}&failures=${failuresOnly ? 1 : 0}`, signal),
    initialData: initial ? first : undefined,
    enabled: !initial,
    placeholderData: keepPreviousData,
  });
}
