"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { formatDateTime } from "@/lib/format";
import { deleteEndpointAction, disableEndpointAction, enableEndpointAction, rotateSecretAction, sendTestEventAction } from "@/lib/dashboard/webhooks/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SecretPanel } from "./secret-panel";
import { deliveriesKey } from "./use-deliveries";

type Dialog = "rotate" | "disable" | "delete" | null;

/** The endpoint's buttons: test event, edit, rotate secret, disable or enable, delete (each destructive one asks first). */
export function EndpointActions({
  id,
  url,
  enabled,
  graceHours,
  canManage,
}: {
  id: string;
  url: string;
  enabled: boolean;
  graceHours: number;
  canManage: boolean;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [rotated, setRotated] = useState<{ secret: string; previousExpiresAt: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const open = (which: Dialog) => {
    setError(null);
    setDialog(which);
  };
  function run<T extends { ok: boolean }>(act: () => Promise<T>, done: (result: T & { ok: true }) => void, inDialog = true) {
    setNotice(null);
    startTransition(async () => {
      const result = await act();
      if (!result.ok) {
        const message = (result as unknown as { message: string }).message;
        if (inDialog) setError(message);
        else setNotice(message);
        return;
      }
      setDialog(null);
      done(result as T & { ok: true });
      // Not awaited: the buttons come back at once, the table catches up on its own.
      void queryClient.invalidateQueries({ queryKey: deliveriesKey(id) });
    });
  }

  if (!canManage) return null;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="secondary"
          disabled={pending || !enabled}
          title={enabled ? undefined : "Enable the endpoint to send a test event"}
          onClick={() =>
            run(
              () => sendTestEventAction(id),
              () => setNotice("Test event sent: it appears in the deliveries below within a few seconds."),
              false,
            )
          }
        >
          Send test event
        </Button>
        <Link href={`/webhooks/${id}/edit`} className={buttonClasses("secondary")}>
          Edit
        </Link>
        <Button type="button" variant="secondary" onClick={() => open("rotate")} disabled={pending}>
          Rotate secret
        </Button>
        {enabled ? (
          <Button type="button" variant="secondary" onClick={() => open("disable")} disabled={pending}>
            Disable
          </Button>
        ) : (
          <Button
            type="button"
            variant="secondary"
            disabled={pending}
            onClick={() =>
              run(
                () => enableEndpointAction(id),
                () => setNotice("Endpoint enabled: deliveries that were waiting are sent now."),
                false,
              )
            }
          >
            Enable
          </Button>
        )}
        <Button type="button" variant="ghost" className="text-red-700 hover:bg-red-50 hover:text-red-800" onClick={() => open("delete")} disabled={pending}>
          Delete
        </Button>
      </div>
      <p aria-live="polite" className="text-sm text-slate-700 empty:hidden">
        {notice}
      </p>
      {rotated && (
        <SecretPanel title="New signing secret" secret={rotated.secret} onDone={() => setRotated(null)}>
          <p>
            <strong className="font-semibold">Copy the new secret now: it will not be shown again.</strong> The old secret keeps working until{" "}
            {formatDateTime(new Date(rotated.previousExpiresAt))}: until then every delivery carries a signature with each, so you can update your receiver
            without missing a delivery.
          </p>
        </SecretPanel>
      )}

      <ConfirmDialog
        open={dialog === "rotate"}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        pendingLabel="Rotating…"
        tone="primary"
        pending={pending}
        error={error}
        onClose={() => setDialog(null)}
        onConfirm={() =>
          run(
            () => rotateSecretAction(id),
            (result) => setRotated({ secret: result.secret, previousExpiresAt: result.previousExpiresAt }),
          )
        }
      >
        <p>
          A new secret is created and shown once. The current one keeps signing deliveries for {graceHours} hours, so your receiver can switch to the new one
          without a gap.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "disable"}
        title="Disable this endpoint?"
        confirmLabel="Disable endpoint"
        pendingLabel="Disabling…"
        pending={pending}
        error={error}
        onClose={() => setDialog(null)}
        onConfirm={() =>
          run(
            () => disableEndpointAction(id),
            () => setNotice("Endpoint disabled. Nothing is sent to it until you enable it again."),
          )
        }
      >
        <p>
          Nothing is sent to <span className="break-all font-mono text-xs">{url}</span> until you enable it again. Its pending deliveries wait, and an{" "}
          <code className="font-mono text-xs">ENDPOINT_DISABLED</code> event is emitted.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "delete"}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        pendingLabel="Deleting…"
        pending={pending}
        error={error}
        onClose={() => setDialog(null)}
        onConfirm={() =>
          run(
            () => deleteEndpointAction(id),
            () => router.push("/webhooks"),
          )
        }
      >
        <p>
          <span className="break-all font-mono text-xs">{url}</span> stops receiving events, and its deliveries and their attempts are deleted with it. This
          cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
