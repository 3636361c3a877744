// One delivery's request as sent and its attempts (server components; the copy buttons are client).
import { CopyButton } from "@/components/ui/copy";
import { DateTime } from "@/components/ui/date-time";
import type { DeliveryDetail } from "@/lib/presenters/webhook-delivery";

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

const headerText = (headers: Record<string, string>) =>
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");

function Block({ label, copy, copyLabel, children }: { label: string; copy: string; copyLabel: string; children: string }) {
  return (
    <div className="min-w-0">
      <div className="mb-1.5 flex items-center justify-between gap-3">
        <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</h3>
        <CopyButton value={copy} label={copyLabel} variant="ghost" />
      </div>
      <pre className="max-h-96 max-w-full overflow-auto scheme-light rounded-md bg-slate-900 px-3 py-2.5 font-mono text-xs leading-relaxed text-slate-100">
        {children}
      </pre>
    </div>
  );
}

/** Method, URL, headers and body of the latest attempt, as the receiver got them. */
export function RequestAsSent({ delivery }: { delivery: DeliveryDetail }) {
  const latest = delivery.attempts.at(-1);
  const headers = latest?.requestHeaders ?? null;
  return (
    <div className="space-y-4">
      <div className="flex min-w-0 flex-wrap items-center gap-2">
        <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs font-semibold text-slate-800">{delivery.request.method}</span>
        <span className="min-w-0 flex-1 break-all font-mono text-sm text-slate-900">{delivery.request.url}</span>
        <CopyButton value={delivery.request.url} label="request URL" variant="ghost" />
      </div>
      {headers ? (
        <Block label={`Headers (attempt ${latest?.number})`} copy={headerText(headers)} copyLabel="request headers">
          {headerText(headers)}
        </Block>
      ) : (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-2 text-sm text-slate-600">
          {latest
            ? "Headers were not recorded for this delivery's attempts: they are recorded from the next attempt on."
            : "Not sent yet: the headers (user agent, webhook-id, webhook-timestamp, webhook-signature) appear with the first attempt."}
        </p>
      )}
      <Block label="Body" copy={delivery.request.body} copyLabel="request body">
        {pretty(delivery.request.body)}
      </Block>
    </div>
  );
}

/** Every attempt, oldest first: number, time, answer, latency, error, the answer's first bytes. */
export function AttemptList({ delivery }: { delivery: DeliveryDetail }) {
  if (delivery.attempts.length === 0) return <p className="text-sm text-slate-500">No attempt yet: the first one is due now.</p>;
  return (
    <ol aria-label={`Attempts of ${delivery.id}`} className="space-y-3">
      {delivery.attempts.map((attempt) => {
        const ok = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
        return (
          <li key={attempt.number} className="min-w-0 rounded-md border border-slate-200 bg-surface px-3 py-2.5">
            <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs">
              <span className="font-semibold text-slate-900">Attempt {attempt.number}</span>
              <span className={`font-mono ${ok ? "text-emerald-700" : "text-red-700"}`}>
                {attempt.statusCode === null ? "No response" : `HTTP ${attempt.statusCode}`}
              </span>
              <span className="tabular-nums text-slate-600">{attempt.latencyMs === null ? "—" : `${attempt.latencyMs} ms`}</span>
              <span className="text-slate-500">
                <DateTime value={attempt.startedAt} />
              </span>
            </div>
            {attempt.error && <p className="mt-1 break-words text-xs text-red-700">{attempt.error}</p>}
            {attempt.responseExcerpt ? (
              <pre className="mt-1.5 max-h-32 max-w-full overflow-auto scheme-light whitespace-pre-wrap break-words rounded bg-slate-900 px-2.5 py-1.5 font-mono text-xs text-slate-100">
                {attempt.responseExcerpt}
              </pre>
            ) : (
              <p className="mt-1 text-xs text-slate-500">Empty response body.</p>
            )}
            {attempt.requestHeaders && (
              <details className="mt-1.5 text-xs">
                <summary className="cursor-pointer text-slate-600">Request headers of attempt {attempt.number}</summary>
                <pre className="mt-1 max-w-full overflow-auto rounded bg-slate-50 px-2.5 py-1.5 font-mono text-slate-800">
                  {headerText(attempt.requestHeaders)}
                </pre>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
