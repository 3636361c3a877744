import { formatDateTime, formatRelative } from "@/lib/format";

/**
 * A UTC timestamp ("2026-11-22 20:41 UTC") with the relative time ("3 h ago") on hover. `stacked`
 * puts the time under the date, for tables with several date columns.
 */
export function DateTime({ value, now, stacked = false }: { value: Date | null | undefined; now?: Date; stacked?: boolean }) {
  if (!value) return <span className="text-slate-500">—</span>;
  const text = formatDateTime(value);
  const split = text.indexOf(" ");
  return (
    <time dateTime={value.toISOString()} title={formatRelative(value, now)} className="tabular-nums">
      {stacked ? (
        <>
          <span className="block">{text.slice(0, split)}</span>
          <span className="block text-xs text-slate-500">{text.slice(split + 1)}</span>
        </>
      ) : (
        text
      )}
    </time>
  );
}
