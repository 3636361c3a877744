import Link from "next/link";
import { DateTime } from "@/components/ui/date-time";
import { YesNoBadge } from "@/components/ui/status-badge";
import { Cell } from "@/components/ui/table";
import type { ConnectionOption } from "@/lib/presenters/sync-jobs";
import { cronPreview } from "./cron-preview";

export const TRIGGER_HEAD = ["Schedule (UTC)", "Connection", "State", "Next run · last run"];

/** A cron trigger's schedule (in words too), connection, state and run times, as table cells. */
export function TriggerCells({
  trigger,
  now,
}: {
  trigger: { expression: string; active: boolean; lastRunAt: Date | null; nextRunAt: Date | null; connection: ConnectionOption };
  now: Date;
}) {
  const preview = cronPreview(trigger.expression, now, 1);
  return (
    <>
      <Cell>
        <code className="font-mono text-xs text-slate-900">{trigger.expression}</code>
        <div className="text-xs text-slate-500">{preview?.ok ? preview.description : "—"}</div>
      </Cell>
      <Cell>
        <Link href={`/connections/${trigger.connection.id}`} className="text-brand-700 hover:underline">
          {trigger.connection.label}
        </Link>
      </Cell>
      <Cell>
        <YesNoBadge value={trigger.active} yes="Active" no="Inactive" />
      </Cell>
      <Cell>
        <div>{trigger.active ? <DateTime value={trigger.nextRunAt} now={now} /> : <span className="text-slate-500">Not scheduled</span>}</div>
        <div className="text-xs text-slate-500">
          {trigger.lastRunAt ? (
            <>
              last <DateTime value={trigger.lastRunAt} now={now} />
            </>
          ) : (
            "never run yet"
          )}
        </div>
      </Cell>
    </>
  );
}
