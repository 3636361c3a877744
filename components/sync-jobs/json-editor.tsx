"use client";

import { useRef, type Ref } from "react";

/**
 * A monospace textarea with line numbers: the gutter scrolls with the text and marks the lines a
 * problem points at. Lines never wrap, so each number stays beside its line.
 */
export function JsonEditor({
  id,
  value,
  onChange,
  markedLines,
  textareaRef,
  describedBy,
  invalid,
  disabled,
  rows = 24,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  markedLines: ReadonlySet<number>;
  textareaRef?: Ref<HTMLTextAreaElement>;
  describedBy?: string;
  invalid?: boolean;
  disabled?: boolean;
  rows?: number;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const count = value.split("\n").length;
  return (
    <div
      className={`flex overflow-hidden rounded-md border bg-surface font-mono text-[13px] leading-5 shadow-sm focus-within:ring-2 ${
        invalid
          ? "border-red-400 focus-within:border-red-500 focus-within:ring-red-100"
          : "border-slate-300 focus-within:border-brand-500 focus-within:ring-brand-100"
      }`}
    >
      <div
        ref={gutter}
        aria-hidden="true"
        className="shrink-0 select-none overflow-hidden border-r border-slate-200 bg-slate-50 py-2 text-right tabular-nums text-slate-400"
      >
        {Array.from({ length: count }, (_, index) => (
          <div key={index} className={`px-2.5 ${markedLines.has(index + 1) ? "bg-red-100 font-semibold text-red-700" : ""}`}>
            {index + 1}
          </div>
        ))}
        {/* Room for the textarea's horizontal scrollbar, so the last numbers can scroll into line. */}
        <div className="h-6" />
      </div>
      <textarea
        id={id}
        ref={textareaRef}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onScroll={(event) => {
          if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
        }}
        rows={rows}
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className="block min-w-0 flex-1 resize-y bg-transparent px-3 py-2 text-slate-900 outline-none disabled:text-slate-500"
      />
    </div>
  );
}
