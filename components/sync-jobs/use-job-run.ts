"use client";
// The React Query hook for one sync job run's page: polls its dashboard route every second while
// the run is active, and stops once it has ended.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { JobRunJson } from "@/lib/presenters/sync-jobs";
import { getDashboardJson } from "@/lib/dashboard/fetch-json";

export const RUN_POLL_MS = 1_000;

export const jobRunKey = (id: string) => ["sync-job-run", id] as const;

const fetchRun = (id: string, signal: AbortSignal) => getDashboardJson<JobRunJson>(`/api/dashboard/sync-jobs/runs/${encodeURIComponent(id)}`, signal);

export function useJobRun(initial: JobRunJson) {
  return useQuery({
    queryKey: jobRunKey(initial.id),
    queryFn: ({ signal }) => fetchRun(initial.id, signal),
    initialData: initial,
    // The server read `initial` when it rendered the page: poll from the next interval on.
    initialDataUpdatedAt: Date.parse(initial.now),
    refetchInterval: (query) => (query.state.data?.active ? RUN_POLL_MS : false),
    staleTime: 500,
  });
}

export function useRefreshRun(id: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: jobRunKey(id) });
}
