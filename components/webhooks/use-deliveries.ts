"use client";
// The React Query hook for an endpoint's deliveries: polls the dashboard route while the page is open,
// faster while something is still pending.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { getDashboardJson } from "@/lib/dashboard/fetch-json";

export interface AttemptJson {
  number: number;
  startedAt: string;
  statusCode: number | null;
  latencyMs: number | null;
  responseExcerpt: string | null;
  error: string | null;
}

export interface DeliveryJson {
  id: string;
  status: "pending" | "succeeded" | "failed" | "cancelled";
  eventId: string;
  eventType: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
  attempts: AttemptJson[];
}

export interface DeliveryPageJson {
  deliveries: DeliveryJson[];
  nextCursor: string | null;
}

export const deliveriesKey = (endpointId: string) => ["webhook-deliveries", endpointId] as const;

export function useDeliveries(endpointId: string, filter: { status: string; cursor: string | null }) {
  return useQuery({
    queryKey: [...deliveriesKey(endpointId), filter.status, filter.cursor],
    queryFn: async ({ signal }): Promise<DeliveryPageJson> => {
      const search = new URLSearchParams();
      if (filter.status) search.set("status", filter.status);
      if (filter.cursor) search.set("cursor", filter.cursor);
      return getDashboardJson<DeliveryPageJson>(`/api/dashboard/webhooks/${encodeURIComponent(endpointId)}/deliveries?${search}`, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.deliveries.some((delivery) => delivery.status === "pending") ? 1500 : 5000),
  });
}
