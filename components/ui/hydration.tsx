"use client";
// Until React has hydrated a page its buttons do nothing (their handlers are not attached yet) and a
// form with an onSubmit handler would submit natively, as a GET carrying its fields in the URL. So
// the controls a page renders stay disabled until React runs: a click waits instead of being lost,
// and end-to-end tests wait for the control to be enabled, not for time.
import { useSyncExternalStore, type ReactNode } from "react";

const subscribe = () => () => {};

/** False while the server's HTML is on screen, true once React has hydrated it. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/** Disables every form control inside it until hydration, without a box of its own. */
export function HydrationGate({ children }: { children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <fieldset disabled={!hydrated} className="m-0 min-w-0 border-0 p-0">
      {children}
    </fieldset>
  );
}
