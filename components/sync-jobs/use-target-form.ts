"use client";
// The state a run form and a cron trigger form share: the connection and endpoint chosen (the only
// one preselected), the args, the errors by field, and a submit that reads the args first.
import { useState, useTransition } from "react";
import type { ConnectionOption, EndpointOption } from "@/lib/presenters/sync-jobs";
import { useArgsInput } from "./args-input";
import { useHydrated, type Targets } from "./form";

export function useTargetForm(connections: ConnectionOption[], endpoints: EndpointOption[], argsSchema: Record<string, unknown>) {
  const hydrated = useHydrated();
  const [targets, setTargets] = useState<Targets>({
    connectionId: connections.length === 1 ? connections[0].id : "",
    webhookEndpointId: endpoints.length === 1 ? endpoints[0].id : "",
  });
  const args = useArgsInput(argsSchema);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();

  /** Reads the args (their problem shown at their field), then sends the targets and args. */
  function submit(send: (input: Targets & { args: Record<string, unknown> }) => Promise<void>) {
    const read = args.read();
    if (!read.ok) {
      setErrors({ [read.field]: read.message });
      return;
    }
    startTransition(() => send({ ...targets, args: read.args }));
  }

  return { hydrated, targets, setTargets, args, errors, setErrors, pending, submit };
}
