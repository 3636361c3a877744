"use client";
// The connection timeline over React Query: polled every few seconds while a run is queued, running
// or rate limited, every IDLE_POLL_MS otherwise (so a run started elsewhere — the schedule, a webhook,
// the API — appears without a reload), and not at all while the tab is hidden (React Query's
// refetchIntervalInBackground is off; focus refetches at once). The previous window stays on screen
// while a zoom loads.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { SyncTimeline } from "@/lib/presenters/timeline";
import { getDashboardJson, retryServerErrors } from "@/lib/dashboard/fetch-json";
import { TIME } from "./scale";

export type ZoomPreset = "1h" | "6h" | "24h" | "7d" | "30d" | "6mo" | "all";

export const ZOOM_PRESETS: { key: ZoomPreset; label: string; title: string; span: number | null }[] = [
  { key: "1h", label: "1h", title: "Last hour", span: TIME.HOUR },
  { key: "6h", label: "6h", title: "Last 6 hours", span: 6 * TIME.HOUR },
  { key: "24h", label: "24h", title: "Last 24 hours", span: TIME.DAY },
  { key: "7d", label: "7d", title: "Last 7 days", span: 7 * TIME.DAY },
  { key: "30d", label: "30d", title: "Last 30 days", span: 30 * TIME.DAY },
  { key: "6mo", label: "6 months", title: "Last 6 months", span: 182 * TIME.DAY },
  { key: "all", label: "All", title: "Whole history", span: null },
];

/** A preset, relative to now when fetched, or a fixed window picked by dragging. */
export type TimelineView = { preset: ZoomPreset } | { from: number; to: number };

export const POLL_MS = 3_000;
/** Idle: a scheduled incremental sync starts at most every few minutes, so 15 s is soon enough. */
export const IDLE_POLL_MS = 15_000;

async function fetchTimeline(connectionId: string, view: TimelineView, signal: AbortSignal): Promise<SyncTimeline> {
  const params = new URLSearchParams();
  if ("preset" in view) {
    const span = ZOOM_PRESETS.find((preset) => preset.key === view.preset)?.span ?? null;
    // A little room after now, so a running bar grows into view rather than along the edge.
    if (span !== null) {
      const now = Date.now();
      params.set("from", new Date(now - span).toISOString());
      params.set("to", new Date(now + span * 0.03).toISOString());
    }
  } else {
    params.set("from", new Date(view.from).toISOString());
    params.set("to", new Date(view.to).toISOString());
  }
  const query = params.size ? `?${params}` : "";
  return getDashboardJson<SyncTimeline>(`/api/dashboard/connections/${encodeURIComponent(connectionId)}/timeline${query}`, signal);
}

/** Every window of a connection's timeline, for invalidating them all. */
export const timelineKey = (connectionId: string) => ["connection-timeline", connectionId] as const;

export function useTimeline(connectionId: string, view: TimelineView) {
  const key = "preset" in view ? view.preset : `${view.from}-${view.to}`;
  return useQuery({
    queryKey: [...timelineKey(connectionId), key],
    queryFn: ({ signal }) => fetchTimeline(connectionId, view, signal),
    placeholderData: keepPreviousData,
    // Fast also while nothing has run yet: the initial batch starts within a minute of connecting.
    refetchInterval: (query) => (query.state.data && (query.state.data.active || !query.state.data.firstRunAt) ? POLL_MS : IDLE_POLL_MS),
    refetchIntervalInBackground: false,
    retry: retryServerErrors,
  });
}
