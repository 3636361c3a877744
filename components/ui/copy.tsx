"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies `value`; without clipboard permission it says so and the caller's field can be selected by hand. */
export function CopyButton({
  value,
  label,
  onFallback,
  variant = "secondary",
  children,
}: {
  value: string;
  /** What is copied, for screen readers: "access token", "re-link URL". */
  label: string;
  onFallback?: () => void;
  variant?: "secondary" | "ghost" | "primary";
  children?: string;
}) {
  const [state, setState] = useState<"copied" | "failed" | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      onFallback?.();
      setState("failed");
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState(null), 2500);
  }
  return (
    <>
      <Button type="button" variant={variant} onClick={copy} aria-label={`Copy ${label}`} className="shrink-0">
        {state === "copied" ? "Copied" : (children ?? "Copy")}
      </Button>
      <span aria-live="polite" className="sr-only">
        {state === "copied" ? `${label} copied to the clipboard` : state === "failed" ? `Could not copy; select the ${label} and press Ctrl+C` : ""}
      </span>
    </>
  );
}

/** A read-only value with a copy button beside it (selects itself on focus, for copying by hand). */
export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const input = useRef<HTMLInputElement>(null);
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
          className="block w-full min-w-0 rounded-md border border-slate-300 bg-surface px-3 py-2 font-mono text-xs text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
        />
        <CopyButton value={value} label={label.toLowerCase()} onFallback={() => input.current?.select()} />
      </div>
    </div>
  );
}
