/** Shown while a dashboard page reads its data: the shape of a header, a card row and a table. */
export default function Loading() {
  return (
    <div role="status" aria-busy="true" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading…</span>
      <div className="mb-6 space-y-2">
        <div className="h-6 w-48 rounded bg-slate-200" />
        <div className="h-4 w-96 max-w-full rounded bg-slate-200/70" />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {[0, 1, 2, 3].map((index) => (
          <div key={index} className="h-24 rounded-lg border border-slate-200 bg-surface" />
        ))}
      </div>
      <div className="mt-6 overflow-hidden rounded-lg border border-slate-200 bg-surface">
        <div className="h-10 border-b border-slate-200 bg-slate-50" />
        {[0, 1, 2, 3, 4, 5].map((index) => (
          <div key={index} className="flex gap-6 border-b border-slate-100 px-4 py-3 last:border-0">
            <div className="h-4 w-1/4 rounded bg-slate-200/80" />
            <div className="h-4 w-1/6 rounded bg-slate-200/60" />
            <div className="h-4 w-1/5 rounded bg-slate-200/60" />
            <div className="h-4 w-1/6 rounded bg-slate-200/60" />
          </div>
        ))}
      </div>
    </div>
  );
}
