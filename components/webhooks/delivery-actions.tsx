"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { resendDeliveryAction, retryNowAction } from "@/lib/dashboard/webhooks/actions";

/** Whether "Retry now" applies: a delivery in backoff after a failed attempt (a first attempt is already due). */
export function canRetryNow(delivery: { status: string; attemptCount: number }): boolean {
  return delivery.status === "pending" && delivery.attemptCount > 0;
}

/**
 * A delivery page's buttons: retry now (while it waits for its next attempt) and resend (once it has
 * ended). While the delivery is pending the page reloads its data every two seconds, so the attempt
 * the retry caused appears without a reload.
 */
export function DeliveryActions({
  endpointId,
  delivery,
  canManage,
}: {
  endpointId: string;
  delivery: { id: string; status: string; attemptCount: number };
  canManage: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const live = delivery.status === "pending";

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [live, router]);

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
