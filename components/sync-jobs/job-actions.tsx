"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { buttonClasses } from "@/components/ui/button";
import { deleteJobAction } from "@/lib/dashboard/sync-jobs/actions";
import { ConfirmedButton } from "@/components/ui/confirm-dialog";

/** A job's Edit and Delete buttons; deleting asks first and names what goes with the job. */
export function JobActions({ id, name, runCount, triggerCount }: { id: string; name: string; runCount: number; triggerCount: number }) {
  const router = useRouter();
  return (
    <div className="flex gap-2">
      <Link href={`/sync-jobs/${id}/edit`} className={buttonClasses("secondary")}>
        Edit definition
      </Link>
      <ConfirmedButton
        label="Delete…"
        variant="ghost"
        className="text-red-700 hover:bg-red-50 hover:text-red-800"
        title="Delete this sync job?"
        confirmLabel="Delete sync job"
        pendingLabel="Deleting…"
        action={() => deleteJobAction(id)}
        done={() => router.push("/sync-jobs")}
      >
        <p>
          &ldquo;{name}&rdquo; is deleted with its {runCount === 1 ? "run" : `${runCount} runs`} and{" "}
          {triggerCount === 1 ? "cron trigger" : `${triggerCount} cron triggers`}; a run in progress stops. This cannot be undone.
        </p>
      </ConfirmedButton>
    </div>
  );
}
