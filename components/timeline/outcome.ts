// How each outcome looks, shared by the bars, the legend and the tooltip.
import type { TimelineOutcome } from "@/lib/presenters/timeline";

export const OUTCOME_STYLE: Record<TimelineOutcome, { label: string; bar: string; dot: string; text: string; onBar: string }> = {
  succeeded: { label: "Succeeded", bar: "fill-emerald-500", dot: "bg-emerald-500", text: "text-emerald-700", onBar: "fill-emerald-950" },
  failed: { label: "Failed", bar: "fill-rose-500", dot: "bg-rose-500", text: "text-rose-700", onBar: "fill-rose-950" },
  cancelled: { label: "Cancelled", bar: "fill-slate-400", dot: "bg-slate-400", text: "text-slate-600", onBar: "fill-slate-900" },
  running: { label: "Running", bar: "fill-brand-500", dot: "bg-brand-500", text: "text-brand-700", onBar: "fill-white" },
  rate_limited: { label: "Rate limited", bar: "fill-amber-500", dot: "bg-amber-500", text: "text-amber-700", onBar: "fill-amber-950" },
};
