"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { resendDeliveryAction, retryNowAction } from "@/lib/dashboard/webhooks/actions";

/** Whether "Retry now" applies: a delivery in backoff after a failed attempt (a first attempt is already due). */
export function canRetryNow(delivery: { status: string; attemptCount: number }): boolean {
  return delivery.status === "pending" && delivery.attemptCount > 0;
}

/** How often a pending delivery's page reloads: soon after an attempt that is due, slowly while it waits out a backoff. */
export const DUE_POLL_MS = 2_000;
export const BACKOFF_POLL_MS = 30_000;

/**
 * A delivery page's buttons: retry now (while it waits for its next attempt) and resend (once it has
 * ended). While the delivery is pending the page reloads its data, every two seconds while its next
 * attempt is due within a minute (so the attempt a retry caused appears without a reload), every 30 s
 * while it waits out a longer backoff (a receiver that is down keeps a delivery pending for hours),
 * and not while the tab is hidden.
 */
export function DeliveryActions({
  endpointId,
  delivery,
  canManage,
}: {
  endpointId: string;
  delivery: { id: string; status: string; attemptCount: number; nextAttemptAt: Date | string | null };
  canManage: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const live = delivery.status === "pending";

  const nextAttemptAt = delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).getTime() : null;
  useEffect(() => {
    if (!live) return;
    const every = nextAttemptAt === null || nextAttemptAt - Date.now() <= 60_000 ? DUE_POLL_MS : BACKOFF_POLL_MS;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, every);
    return () => clearInterval(timer);
  }, [live, router, nextAttemptAt]);

  if (!canManage) return null;
  const act = (run: () => Promise<{ ok: boolean; message?: string }>, done: string) =>
    startTransition(async () => {
      const result = await run();
      setMessage(result.ok ? { tone: "ok", text: done } : { tone: "error", text: result.message ?? "Something went wrong." });
      router.refresh();
    });

  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <div className="flex flex-wrap gap-2">
        {canRetryNow(delivery) && (
          <Button
            type="button"
            onClick={() => act(() => retryNowAction(endpointId, delivery.id), "Retrying now: the attempt appears below in a few seconds.")}
            disabled={pending}
          >
            {pending ? "Retrying…" : "Retry now"}
          </Button>
        )}
        {!live && (
          <Button
            type="button"
            variant="secondary"
            onClick={() => act(() => resendDeliveryAction(delivery.id), "Queued: the new attempt appears below in a few seconds.")}
            disabled={pending}
          >
            {pending ? "Resending…" : "Resend"}
          </Button>
        )}
      </div>
      <p aria-live="polite" className={`max-w-sm text-sm empty:hidden ${message?.tone === "error" ? "text-red-700" : "text-slate-700"}`}>
        {message?.text}
      </p>
    </div>
  );
}
