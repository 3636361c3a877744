import { Breadcrumb } from "@/components/ui/breadcrumb";
import { notFound } from "next/navigation";
import { hasRole, requireContext } from "@/lib/auth/context";
import { isId } from "@/lib/db/ids";
import { formatRelative } from "@/lib/format";
import { getDeliveryDetail } from "@/lib/presenters/webhook-delivery";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { DescriptionList } from "@/components/ui/description-list";
import { StatusBadge } from "@/components/ui/status-badge";
import { DeliveryActions } from "@/components/webhooks/delivery-actions";
import { AttemptList, RequestAsSent } from "@/components/webhooks/delivery-detail";

export const metadata = { title: "Webhook delivery" };

export default async function DeliveryPage({ params }: { params: Promise<{ id: string; deliveryId: string }> }) {
  const context = await requireContext();
  const { id, deliveryId } = await params;
  if (!isId("whk", id) || !isId("dlv", deliveryId)) notFound();
  const delivery = await getDeliveryDetail(context.db, id, deliveryId);
  if (!delivery) notFound();
  const now = new Date();
  const next = delivery.nextAttemptAt;

  return (
    <>
      <Breadcrumb
        trail={[
          { href: "/webhooks", label: "Webhooks" },
          { href: `/webhooks/${id}`, label: delivery.endpoint.url, title: delivery.endpoint.url, mono: true },
        ]}
        current={delivery.id}
      />
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="flex flex-wrap items-center gap-2 break-all font-mono text-lg font-semibold tracking-tight text-slate-900">
            {delivery.event.type} <StatusBadge status={delivery.status} />
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            {delivery.status === "pending"
              ? delivery.attemptCount === 0
                ? "Not attempted yet: the first attempt is due now."
                : next
                  ? `Attempt ${delivery.attemptCount} failed; the next is due ${formatRelative(next, now)}.`
                  : `Attempt ${delivery.attemptCount} failed.`
              : delivery.status === "succeeded"
                ? `Delivered on attempt ${delivery.attemptCount}.`
                : delivery.status === "failed"
                  ? `Failed after ${delivery.attemptCount} ${delivery.attemptCount === 1 ? "attempt" : "attempts"}.`
                  : "Cancelled."}
            {!delivery.endpoint.enabled && delivery.status === "pending" && " The endpoint is disabled: nothing is sent until it is enabled again."}
          </p>
        </div>
        <DeliveryActions endpointId={id} delivery={delivery} canManage={hasRole(context, "admin")} />
      </div>
      <Card title="Delivery" className="mb-6">
        <DescriptionList
          columns={3}
          items={[
            [
              "Delivery",
              <span key="d" className="break-all font-mono text-xs">
                {delivery.id}
              </span>,
            ],
            [
              "Event (webhook-id)",
              <span key="e" className="break-all font-mono text-xs">
                {delivery.event.id}
              </span>,
            ],
            ["Created", <DateTime key="c" value={delivery.createdAt} now={now} />],
            [
              "Stream · sequence",
              <span key="s" className="break-all font-mono text-xs">
                {delivery.stream} · {delivery.sequence}
              </span>,
            ],
            ["Attempts", String(delivery.attemptCount)],
            ["Last attempt", <DateTime key="l" value={delivery.lastAttemptAt} now={now} />],
            ["Next attempt", <DateTime key="n" value={next} now={now} />],
          ]}
        />
      </Card>
      <div className="grid min-w-0 gap-6 lg:grid-cols-2">
        <Card title="Request as sent" description="What the latest attempt POSTed. The body is shown formatted and copied exactly as sent." className="min-w-0">
          <RequestAsSent delivery={delivery} />
        </Card>
        <Card title="Attempts" description="Oldest first, with the first bytes of each answer." className="min-w-0">
          <AttemptList delivery={delivery} />
        </Card>
      </div>
    </>
  );
}
