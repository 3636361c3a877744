"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** The signing secret, shown once after creation or rotation, with a copy button; focus lands on it. */
export function SecretPanel({ title, children, secret, onDone }: { title: string; children: ReactNode; secret: string; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="webhook-secret-heading" className="rounded-lg border border-amber-300 bg-amber-50 px-5 py-4 shadow-sm">
      <h2 id="webhook-secret-heading" ref={heading} tabIndex={-1} className="text-sm font-semibold text-slate-900 focus:outline-none">
        {title}
      </h2>
      <div className="mt-1 text-sm text-amber-900">{children}</div>
      <div className="mt-4">
        <CopyField id="webhook-signing-secret" label="Signing secret" value={secret} />
      </div>
      <div className="mt-4 flex justify-end">
        <Button type="button" variant="secondary" onClick={onDone}>
          I have stored the secret
        </Button>
      </div>
    </section>
  );
}

export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  const input = useRef<HTMLInputElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      // No clipboard permission: select the text so Ctrl+C works.
      input.current?.select();
      setCopied("failed");
    }
    setTimeout(() => setCopied(null), 2500);
  }
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium uppercase tracking-wide text-slate-600">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input
          ref={input}
          id={id}
          type="text"
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
        />
        <Button type="button" variant="secondary" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`} className="shrink-0">
          {copied === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
      <p aria-live="polite" className="sr-only">
        {copied === "copied" ? `${label} copied to the clipboard` : copied === "failed" ? `Could not copy; ${label.toLowerCase()} selected, press Ctrl+C` : ""}
      </p>
    </div>
  );
}
