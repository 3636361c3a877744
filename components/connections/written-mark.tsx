/**
 * "API write": a record, or an event, that came from a write through the API (POST, PATCH or DELETE),
 * not from a sync. Shared by the data browser and the event log so both say it alike.
 */
export function WrittenMark({ at }: { at?: string }) {
  const title = at
    ? `Written through the API at ${new Date(at).toISOString().replace("T", " ").slice(0, 16)} UTC`
    : "Written through the API, not by a sync run";
  return (
    <span
      title={title}
      className="inline-flex items-center rounded-full bg-brand-50 px-1.5 py-0.5 font-sans text-[11px] font-medium text-brand-700 ring-1 ring-inset ring-brand-100"
    >
      API write
    </span>
  );
}
