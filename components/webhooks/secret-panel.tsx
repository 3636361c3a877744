"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { CopyField } from "@/components/ui/copy";
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
