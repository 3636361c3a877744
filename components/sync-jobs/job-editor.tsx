"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, useTransition } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { saveJobAction } from "@/lib/dashboard/sync-jobs/actions";
import type { Problem } from "@/lib/dashboard/sync-jobs/schema";
import { useHydrated } from "./form";
import { JsonEditor } from "./json-editor";
import { locateField, positionAt, readJsonText } from "@/lib/input/json-text";
import { ReferencePanel, type ResourceReference } from "./reference-panel";
import { JOB_TEMPLATES, templateText, type JobTemplate } from "./templates";

type Outcome = { kind: "syntax"; message: string; line: number; column: number } | { kind: "problems"; message: string; problems: Problem[] } | null;

const EDITOR_ID = "job-definition";

/** The category the text names, while it is being typed (even when it is not valid JSON yet). */
function categoryOf(text: string, value: unknown, fallback: string): string {
  const named =
    value && typeof value === "object" && "category" in value ? (value as { category: unknown }).category : /"category"\s*:\s*"([a-z]+)"/.exec(text)?.[1];
  return typeof named === "string" ? named : fallback;
}

/** The definition's first resource: the parent the reference's placeholder example names. */
function firstResourceOf(value: unknown): string | undefined {
  const resources = value && typeof value === "object" ? (value as { resources?: unknown }).resources : undefined;
  const first: unknown = Array.isArray(resources) ? resources[0] : undefined;
  return first && typeof first === "object" && typeof (first as { resource?: unknown }).resource === "string"
    ? (first as { resource: string }).resource
    : undefined;
}

/**
 * The sync job editor: a template to start from (new jobs), the definition as JSON with line
 * numbers, the category's reference beside it, and Save. A JSON syntax error is named by line and
 * column before anything is sent; the library's problems come back named by field path, each with
 * the line it is on. The text is never reset by an error.
 */
export function JobEditor({ jobId, initialText, references }: { jobId?: string; initialText?: string; references: Record<string, ResourceReference[]> }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [text, setText] = useState(initialText ?? templateText(JOB_TEMPLATES[0]));
  const [pristine, setPristine] = useState(text);
  const [template, setTemplate] = useState<string | null>(initialText ? null : JOB_TEMPLATES[0].key);
  const [replacing, setReplacing] = useState<JobTemplate | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [saving, startTransition] = useTransition();
  const textarea = useRef<HTMLTextAreaElement>(null);

  const read = useMemo(() => readJsonText(text), [text]);
  const category = categoryOf(text, read.ok ? read.value : null, "ticketing");
  const lineOf = (field: string): number | null => {
    if (!read.ok) return null;
    const offset = locateField(read.positions, field);
    return offset === null ? null : positionAt(text, offset).line;
  };
  // A syntax error that has since been fixed is no longer worth an alert.
  const shown = outcome?.kind === "syntax" && read.ok ? null : outcome;
  const marked = new Set<number>();
  if (!read.ok) marked.add(read.line);
  else if (shown?.kind === "problems") for (const problem of shown.problems) marked.add(lineOf(problem.field) ?? 0);

  function goToLine(line: number) {
    const element = textarea.current;
    if (!element) return;
    const lines = text.split("\n");
    const start = lines.slice(0, line - 1).reduce((sum, current) => sum + current.length + 1, 0);
    element.focus();
    element.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    element.scrollTop = Math.max(0, (line - 4) * 20);
  }

  function apply(next: JobTemplate) {
    const body = templateText(next);
    setText(body);
    setPristine(body);
    setTemplate(next.key);
    setOutcome(null);
    setReplacing(null);
  }

  function save() {
    if (!read.ok) {
      setOutcome({ kind: "syntax", message: read.message, line: read.line, column: read.column });
      goToLine(read.line);
      return;
    }
    const definition = read.value;
    startTransition(async () => {
      const answer = await saveJobAction(jobId ?? null, definition);
      if (answer.ok) {
        router.push(`/sync-jobs/${answer.id}`);
        return;
      }
      setOutcome({ kind: "problems", message: answer.message, problems: answer.problems });
    });
  }

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="min-w-0 space-y-5">
        {!jobId && (
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Start from a template</legend>
            <div className="mt-2 grid gap-3 sm:grid-cols-3">
              {JOB_TEMPLATES.map((option) => (
                <button
                  key={option.key}
                  type="button"
                  aria-pressed={template === option.key}
                  disabled={!hydrated}
                  onClick={() => (template === option.key ? undefined : text === pristine ? apply(option) : setReplacing(option))}
                  className={`rounded-lg border px-4 py-3 text-left shadow-sm transition-colors disabled:cursor-not-allowed ${
                    template === option.key
                      ? "border-brand-500 bg-brand-50 ring-1 ring-brand-500"
                      : "border-slate-200 bg-surface hover:border-slate-300 hover:bg-slate-50"
                  }`}
                >
                  <span className="block text-sm font-medium text-slate-900">{option.label}</span>
                  <span className="mt-0.5 block text-xs text-slate-500">{option.description}</span>
                </button>
              ))}
            </div>
          </fieldset>
        )}
        <div>
          <div className="flex items-end justify-between gap-3">
            <label htmlFor={EDITOR_ID} className="block text-sm font-medium text-slate-700">
              Definition (JSON)
            </label>
            <p id={`${EDITOR_ID}-status`} aria-live="polite" className={`text-xs ${read.ok ? "text-slate-500" : "text-amber-700"}`}>
              {read.ok ? "Valid JSON" : `Line ${read.line}, column ${read.column}: ${read.message}`}
            </p>
          </div>
          <div className="mt-1">
            <JsonEditor
              id={EDITOR_ID}
              value={text}
              onChange={setText}
              markedLines={marked}
              textareaRef={textarea}
              invalid={shown !== null}
              describedBy={`${EDITOR_ID}-status${shown ? ` ${EDITOR_ID}-outcome` : ""}`}
            />
          </div>
        </div>
        {shown && (
          <div id={`${EDITOR_ID}-outcome`} role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200">
            {shown.kind === "syntax" ? (
              <p>
                <span className="font-semibold">
                  Not valid JSON at line {shown.line}, column {shown.column}:
                </span>{" "}
                {shown.message}. Nothing was saved.
              </p>
            ) : (
              <>
                <p className="font-semibold">{shown.message}</p>
                {shown.problems.length > 0 && (
                  <ul aria-label="Problems" className="mt-2 space-y-1.5">
                    {shown.problems.map((problem, index) => {
                      const line = lineOf(problem.field);
                      return (
                        <li key={index} className="flex flex-wrap items-baseline gap-x-2">
                          <code className="rounded bg-surface/70 px-1 py-0.5 font-mono text-xs font-medium text-red-900 ring-1 ring-inset ring-red-200">
                            {problem.field}
                          </code>
                          <span>{problem.message}</span>
                          {line !== null && (
                            <button type="button" onClick={() => goToLine(line)} className="text-xs font-medium text-red-700 underline hover:text-red-900">
                              line {line}
                            </button>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </>
            )}
          </div>
        )}
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-4">
          <Link href={jobId ? `/sync-jobs/${jobId}` : "/sync-jobs"} className={buttonClasses("secondary")}>
            Cancel
          </Link>
          <Button type="button" onClick={save} disabled={!hydrated || saving}>
            {saving ? "Saving…" : jobId ? "Save changes" : "Create sync job"}
          </Button>
        </div>
      </div>
      <ReferencePanel
        category={category}
        resources={references[category] ?? []}
        categories={Object.keys(references)}
        parent={firstResourceOf(read.ok ? read.value : null)}
      />
      <ConfirmDialog
        open={replacing !== null}
        title="Replace your definition?"
        confirmLabel="Use the template"
        pendingLabel="Replacing…"
        tone="primary"
        pending={false}
        onClose={() => setReplacing(null)}
        onConfirm={() => replacing && apply(replacing)}
      >
        <p>The editor holds changes of yours. Starting from &ldquo;{replacing?.label}&rdquo; replaces them.</p>
      </ConfirmDialog>
    </div>
  );
}
