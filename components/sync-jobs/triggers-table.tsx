"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { Cell, Table } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/dialog";
import type { SyncJobView } from "@/lib/presenters/sync-jobs";
import { deleteTriggerAction, setTriggerActiveAction } from "@/lib/dashboard/sync-jobs/actions";
import { ConfirmedButton } from "@/components/ui/confirm-dialog";
import { useHydrated } from "./form";
import { TRIGGER_HEAD, TriggerCells } from "./trigger-cells";

/** A job's cron triggers: schedule in words, target, state; activate or deactivate, delete (asks first). */
export function TriggersTable({ triggers, canManage, now }: { triggers: SyncJobView["triggers"]; canManage: boolean; now: Date }) {
  const hydrated = useHydrated();
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function act(action: () => Promise<{ ok: true } | { ok: false; message: string }>, done: string) {
    setNotice(null);
    startTransition(async () => {
      const answer = await action();
      setNotice(answer.ok ? { ok: true, text: done } : { ok: false, text: answer.message });
    });
  }

  return (
    <>
      <Table
        head={[
          ...TRIGGER_HEAD,
          "Endpoint",
          ...(canManage
            ? [
                <span key="actions" className="sr-only">
                  Actions
                </span>,
              ]
            : []),
        ]}
      >
        {triggers.map((trigger) => (
          <tr key={trigger.id}>
            <TriggerCells trigger={trigger} now={now} />
            <Cell>
              {trigger.webhookEndpoint ? (
                <Link
                  href={`/webhooks/${trigger.webhookEndpoint.id}`}
                  title={trigger.webhookEndpoint.url}
                  className="inline-block max-w-44 truncate align-bottom font-mono text-xs text-brand-700 hover:underline"
                >
                  {trigger.webhookEndpoint.url}
                </Link>
              ) : (
                <span className="text-amber-700">None: runs are skipped</span>
              )}
            </Cell>
            {canManage && (
              <Cell className="text-right">
                <div className="flex justify-end gap-1">
                  <Button
                    type="button"
                    variant="ghost"
                    className="px-2.5 py-1"
                    disabled={!hydrated || pending}
                    aria-label={`${trigger.active ? "Deactivate" : "Activate"} trigger ${trigger.expression}`}
                    onClick={() =>
                      act(
                        () => setTriggerActiveAction(trigger.id, !trigger.active),
                        trigger.active ? "Trigger deactivated: it starts no run until activated again." : "Trigger activated.",
                      )
                    }
                  >
                    {trigger.active ? "Deactivate" : "Activate"}
                  </Button>
                  <ConfirmedButton
                    label="Delete…"
                    ariaLabel={`Delete trigger ${trigger.expression}`}
                    variant="ghost"
                    className="px-2.5 py-1 text-red-700 hover:bg-red-50 hover:text-red-800"
                    title="Delete this cron trigger?"
                    confirmLabel="Delete trigger"
                    pendingLabel="Deleting…"
                    action={() => deleteTriggerAction(trigger.id)}
                    done={() => setNotice({ ok: true, text: "Cron trigger deleted." })}
                  >
                    <p>
                      The job stops running <code className="font-mono text-xs">{trigger.expression}</code> on {trigger.connection.label}. Runs it already
                      started keep their history.
                    </p>
                  </ConfirmedButton>
                </div>
              </Cell>
            )}
          </tr>
        ))}
      </Table>
      {notice && (
        <div className="mt-3">
          <Notice tone={notice.ok ? "success" : "error"}>{notice.text}</Notice>
        </div>
      )}
    </>
  );
}
