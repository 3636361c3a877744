import { isId } from "@/lib/db/ids";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { hasRole, requireContext } from "@/lib/auth/context";
import { endpointBacklog } from "@/lib/presenters/webhook-delivery";
import { getEndpoint } from "@/lib/presenters/webhooks";
import { ROTATION_GRACE_MS } from "@/lib/webhooks/endpoints";
import { DEFAULT_RETRY_SCHEDULE } from "@/lib/webhooks/policy";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { DateTime } from "@/components/ui/date-time";
import { EndpointActions } from "@/components/webhooks/endpoint-actions";
import { EndpointStatus, EventTypes, FailureRate, scheduleText } from "@/components/webhooks/endpoint-summary";
import { Deliveries } from "@/components/webhooks/deliveries";
import { ReplayFailed } from "@/components/webhooks/replay-failed";
import { MetricCharts } from "@/components/charts/metric-charts";

export const metadata = { title: "Webhook endpoint" };

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const context = await requireContext();
  const { id } = await params;
  // A malformed id names nothing: never sent to the database (a NUL byte would fail the query).
  if (!isId("whk", id)) notFound();
  const now = new Date();
  const endpoint = await getEndpoint(context.db, id, now);
  if (!endpoint) notFound();
  const backlog = await endpointBacklog(context.db, id);
  const canManage = hasRole(context, "admin");

  return (
    <>
      <Breadcrumb trail={[{ href: "/webhooks", label: "Webhooks" }]} current={endpoint.id} />
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="break-all font-mono text-lg font-semibold tracking-tight text-slate-900">{endpoint.url}</h1>
          <p className="mt-1 text-sm text-slate-500">{endpoint.description || "No description"}</p>
        </div>
        <EndpointStatus endpoint={endpoint} backlog={backlog} now={now} />
      </div>
      <div className="mb-6">
        <EndpointActions id={endpoint.id} url={endpoint.url} enabled={endpoint.enabled} graceHours={ROTATION_GRACE_MS / 3_600_000} canManage={canManage} />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Settings" className="lg:col-span-2">
          <DescriptionList
            columns={2}
            items={[
              ["Event types", <EventTypes key="types" types={endpoint.eventTypes} />],
              ["Data events for", endpoint.objects.length ? endpoint.objects.join(", ") : "All objects"],
              ["Retry schedule", scheduleText(endpoint.retrySchedule.length ? endpoint.retrySchedule : DEFAULT_RETRY_SCHEDULE)],
              ["Timeout", `${endpoint.timeoutMs / 1000} s`],
              [
                "Signing secret",
                endpoint.rotationEndsAt ? (
                  <span key="secret">
                    Rotated; the previous secret also signs until <DateTime value={endpoint.rotationEndsAt} now={now} />
                  </span>
                ) : (
                  "Shown once at creation; rotate to get a new one"
                ),
              ],
              ["Created", <DateTime key="created" value={endpoint.createdAt} now={now} />],
            ]}
          />
        </Card>
        <Card title="Last 24 hours">
          <dl className="space-y-3 text-sm">
            <div className="flex justify-between">
              <dt className="text-slate-600">Deliveries</dt>
              <dd className="font-medium tabular-nums text-slate-900">{endpoint.recent.total}</dd>
            </div>
            <div className="flex justify-between">
              <dt className="text-slate-600">Succeeded</dt>
              <dd className="font-medium tabular-nums text-slate-900">{endpoint.recent.succeeded}</dd>
            </div>
            <div className="flex justify-between">
              <dt className="text-slate-600">Failed · retrying</dt>
              <dd className="font-medium tabular-nums text-slate-900">
                {endpoint.recent.failed} · {endpoint.recent.retrying}
              </dd>
            </div>
            <div className="flex justify-between border-t border-slate-100 pt-3">
              <dt className="text-slate-600">Failure rate</dt>
              <dd>
                <FailureRate stats={endpoint.recent} />
              </dd>
            </div>
          </dl>
        </Card>
      </div>
      {canManage && (
        <Card title="Replay failed deliveries" description="Send again every delivery that failed (all its attempts used) in a time window." className="mt-6">
          <ReplayFailed endpointId={endpoint.id} />
        </Card>
      )}
      <div className="mt-6">
        <MetricCharts scope={{ kind: "endpoint", id: endpoint.id }} charts={["deliveries"]} />
      </div>
      <div className="mt-6">
        <Deliveries endpointId={endpoint.id} canManage={canManage} />
      </div>
    </>
  );
}
