"use client";
// The dashboard's client context: React Query, and the hydration gate that keeps every control
// disabled until React runs (components/ui/hydration.tsx).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { HydrationGate } from "@/components/ui/hydration";

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: true } } }));
  return (
    <QueryClientProvider client={client}>
      <HydrationGate>{children}</HydrationGate>
    </QueryClientProvider>
  );
}
