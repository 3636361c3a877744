import { isId } from "@/lib/db/ids";
import { notFound } from "next/navigation";
import { hasRole, requireContext } from "@/lib/auth/context";
import { getSyncJob } from "@/lib/presenters/sync-jobs";
import { CATEGORY_LABELS, type PlatformCategory } from "@/lib/platforms/catalog";
import { formatCount } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Section, SectionEmpty } from "@/components/ui/section";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { SYNC_JOBS } from "@/components/sync-jobs/crumbs";
import { DefinitionSummary } from "@/components/sync-jobs/definition-summary";
import { JobActions } from "@/components/sync-jobs/job-actions";
import { RunsTable } from "@/components/sync-jobs/runs-table";
import { RunForm } from "@/components/sync-jobs/run-form";
import { TriggerForm } from "@/components/sync-jobs/trigger-form";
import { TriggersTable } from "@/components/sync-jobs/triggers-table";

export const metadata = { title: "Sync job" };

export default async function SyncJobPage({ params }: { params: Promise<{ id: string }> }) {
  const context = await requireContext();
  const { id } = await params;
  // A malformed id names nothing: never sent to the database (a NUL byte would fail the query).
  if (!isId("job", id)) notFound();
  const view = await getSyncJob(context.db, id);
  if (!view) notFound();
  const { job, definition, tree, runs, runCount, triggers, connections, endpoints } = view;
  const canManage = hasRole(context, "admin");
  const now = new Date();
  const targets = { jobId: job.id, category: job.category, argsSchema: definition.args_schema, connections, endpoints };

  return (
    <>
      <Breadcrumb trail={[SYNC_JOBS]} current={job.id} />
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-xl font-semibold tracking-tight text-slate-900">{job.name}</h1>
            <Badge tone="blue">{CATEGORY_LABELS[job.category as PlatformCategory] ?? job.category}</Badge>
          </div>
          <p className="mt-1 text-sm text-slate-500">
            <code className="font-mono text-xs">{job.id}</code> · updated <DateTime value={job.updatedAt} now={now} />
          </p>
        </div>
        {canManage && <JobActions id={job.id} name={job.name} runCount={runCount} triggerCount={triggers.length} />}
      </div>

      <div className="grid gap-6 xl:grid-cols-3">
        <div className="xl:col-span-2">
          <DefinitionSummary definition={definition} tree={tree} />
        </div>
        <Card title="Run now" description="Fetch from one connection and stream every page to one endpoint.">
          {canManage ? <RunForm {...targets} /> : <p className="text-sm text-slate-600">Only owners and admins can run sync jobs.</p>}
        </Card>
      </div>

      <Section
        title="Runs"
        description={runCount > runs.length ? `The ${runs.length} most recent of ${formatCount(runCount)} runs.` : "Every run of this job, newest first."}
        className="mt-8"
      >
        {runs.length === 0 ? (
          <SectionEmpty>No runs yet. {canManage ? "Use Run now above, or add a cron trigger below." : ""}</SectionEmpty>
        ) : (
          <RunsTable runs={runs} now={now} showJob={false} />
        )}
      </Section>

      <Section
        title="Cron triggers"
        description="Run this job on a schedule, evaluated in UTC. A tick is skipped while the trigger's previous run is still going."
        className="mt-8"
      >
        {triggers.length === 0 ? (
          <SectionEmpty>No cron triggers: this job runs only when started on demand.</SectionEmpty>
        ) : (
          <TriggersTable triggers={triggers} canManage={canManage} now={now} />
        )}
        {canManage && (
          <Card title="Add a cron trigger" className="mt-4">
            <TriggerForm {...targets} />
          </Card>
        )}
      </Section>
    </>
  );
}
