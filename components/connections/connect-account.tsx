"use client";

// "Connect an account": the dashboard embeds Link the way a team's site does. A server action makes
// the link session, /link.js opens Link in an iframe with its token, and onSuccess hands the public
// token to another server action that exchanges it, as the team's backend would. The access token
// is shown once, then the list refreshes with the new connection in it.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { exchangeAction, startLinkAction } from "@/lib/dashboard/connections/connect-actions";
import type { ExchangeResult } from "@/lib/dashboard/connections/schema";
import { Button, buttonClasses } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy";
import { Dialog, Notice } from "@/components/ui/dialog";

interface TributaryLink {
  open(options: {
    token: string;
    mode?: "iframe" | "popup";
    onSuccess?: (publicToken: string, metadata: Record<string, unknown>) => void;
    onExit?: (error: { error_code: string; error_message: string } | null, metadata: Record<string, unknown>) => void;
  }): { close(): void };
}

declare global {
  interface Window {
    Tributary?: TributaryLink;
  }
}

let loading: Promise<TributaryLink> | null = null;

/** /link.js, loaded once, from this origin (it sends Link's messages to the page that opened it only). */
function loadLinkScript(): Promise<TributaryLink> {
  if (window.Tributary) return Promise.resolve(window.Tributary);
  loading ??= new Promise<TributaryLink>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/link.js";
    script.async = true;
    script.onload = () => (window.Tributary ? resolve(window.Tributary) : reject(new Error("link.js did not define Tributary")));
    script.onerror = () => {
      loading = null;
      script.remove();
      reject(new Error("link.js could not be loaded"));
    };
    document.head.appendChild(script);
  });
  return loading;
}

type Phase = { kind: "idle" } | { kind: "opening" } | { kind: "open" } | { kind: "exchanging" } | { kind: "error"; message: string };

export function ConnectAccount() {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [connected, setConnected] = useState<Extract<ExchangeResult, { ok: true }> | null>(null);
  const button = useRef<HTMLButtonElement>(null);

  async function open() {
    setPhase({ kind: "opening" });
    const [session, link] = await Promise.all([startLinkAction(), loadLinkScript().catch(() => null)]);
    if (!session.ok) return setPhase({ kind: "error", message: session.message });
    if (!link) return setPhase({ kind: "error", message: "Link could not be loaded. Reload the page and try again." });
    setPhase({ kind: "open" });
    const handle = link.open({
      token: session.token,
      mode: "iframe",
      async onSuccess(publicToken) {
        // Link's work is done: close it so the answer below is not hidden behind its frame.
        handle.close();
        setPhase({ kind: "exchanging" });
        const exchanged = await exchangeAction(publicToken);
        if (!exchanged.ok) {
          setPhase({ kind: "error", message: exchanged.message });
        } else {
          setPhase({ kind: "idle" });
          setConnected(exchanged);
        }
        router.refresh();
      },
      onExit(error) {
        // Closing Link without connecting is not an error; a failure it reports is.
        setPhase((current) =>
          current.kind === "exchanging" ? current : error ? { kind: "error", message: `Nothing was connected: ${error.error_message}` } : { kind: "idle" },
        );
      },
    });
  }

  const busy = phase.kind === "opening" || phase.kind === "exchanging";
  return (
    <div className="flex flex-col items-end gap-2">
      <button ref={button} type="button" onClick={open} disabled={busy || phase.kind === "open"} className={buttonClasses("primary")}>
        {phase.kind === "opening" ? "Opening Link…" : phase.kind === "exchanging" ? "Exchanging the token…" : "Connect an account"}
      </button>
      {phase.kind === "error" && (
        <div className="max-w-md">
          <Notice tone="error">{phase.message}</Notice>
        </div>
      )}
      <Dialog
        open={connected !== null}
        title={connected?.isRelink ? "Account re-linked" : "Account connected"}
        size="lg"
        onClose={() => {
          setConnected(null);
          button.current?.focus();
        }}
        description={
          connected?.isRelink
            ? "The connection keeps its access token and data; it syncs again now."
            : "Its first sync has started: the connection becomes ready when its first batch is done."
        }
        footer={
          <>
            {connected && (
              <Link href={`/connections/${connected.connectionId}`} className={buttonClasses("secondary")}>
                Open the connection
              </Link>
            )}
            <Button type="button" onClick={() => setConnected(null)}>
              {connected?.accessToken ? "I have stored the token" : "Done"}
            </Button>
          </>
        }
      >
        {connected?.accessToken ? (
          <>
            <Notice tone="warning">
              <strong className="font-semibold">Copy the access token now: it will not be shown again.</strong> Tributary keeps only a hash of it. Your backend
              reads this account&apos;s data with it (<code className="font-mono text-xs">access_token</code> on the REST API).
            </Notice>
            <CopyField id="new-access-token" label="Access token" value={connected.accessToken} />
          </>
        ) : null}
        {connected && <CopyField id="new-connection-id" label="Connection ID" value={connected.connectionId} />}
      </Dialog>
    </div>
  );
}
