"use client";

import { useEffect, useRef, type ReactNode } from "react";

/**
 * A modal dialog on the native <dialog>: showModal() keeps focus inside and Escape closes it. The
 * caller owns `open`; closing by Escape or the backdrop asks the caller through onClose.
 */
export function Dialog({
  open,
  title,
  description,
  children,
  footer,
  onClose,
  size = "md",
}: {
  open: boolean;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer: ReactNode;
  onClose: () => void;
  size?: "md" | "lg";
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  const titleId = `dialog-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className={`m-auto w-full ${size === "lg" ? "max-w-xl" : "max-w-md"} rounded-lg border border-slate-200 bg-surface p-0 text-left whitespace-normal shadow-xl backdrop:bg-slate-900/40 dark:backdrop:bg-black/60`}
    >
      {open && (
        <>
          <div className="px-5 py-4">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              {title}
            </h2>
            {description && <div className="mt-1 text-sm text-slate-600">{description}</div>}
            {children && <div className="mt-4 space-y-4 text-sm text-slate-700">{children}</div>}
          </div>
          <div className="flex flex-wrap justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3">{footer}</div>
        </>
      )}
    </dialog>
  );
}

/** An action's answer inside a dialog or beside the buttons: red when it failed. */
export function Notice({ tone, children, id }: { tone: "success" | "error" | "warning"; children: ReactNode; id?: string }) {
  const tones = {
    success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
    error: "bg-red-50 text-red-700 ring-red-200",
    warning: "bg-amber-50 text-amber-900 ring-amber-200",
  };
  return (
    <p id={id} role={tone === "error" ? "alert" : "status"} className={`rounded-md px-3 py-2 text-sm ring-1 ring-inset ${tones[tone]}`}>
      {children}
    </p>
  );
}
