"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/**
 * A dashboard page failed to load. The member sees what happened and can try again; the details stay
 * in the server log, found by the reference (Next.js hides server error messages in production).
 */
export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto mt-10 max-w-lg rounded-lg border border-red-200 bg-surface px-6 py-8 text-center shadow-sm">
      <h1 className="text-base font-semibold text-slate-900">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-600">
        Something went wrong while reading its data. It is often temporary (the database restarting, for example): try again, and if it keeps failing, check the
        server log.
      </p>
      {digest && (
        <p className="mt-3 text-xs text-slate-500">
          Reference: <code className="font-mono">{digest}</code>
        </p>
      )}
      <Button className="mt-5" onClick={() => retry()}>
        Retry
      </Button>
    </div>
  );
}
