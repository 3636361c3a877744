"use client";

// "New access token…" on a connection's page: asked first, since the token in use stops working at once;
// the new one is shown once, as "Connect an account" shows a new connection's. It recovers a connection
// whose public token was never exchanged, and replaces a token that leaked.
import { useRef, useState, useTransition } from "react";
import { issueAccessTokenAction } from "@/lib/dashboard/connections/actions";
import { Button, buttonClasses } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyField } from "@/components/ui/copy";
import { Dialog, Notice } from "@/components/ui/dialog";

export function NewAccessToken({ connectionId, disabled }: { connectionId: string; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [accessToken, setAccessToken] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const button = useRef<HTMLButtonElement>(null);

  function issue() {
    startTransition(async () => {
      const result = await issueAccessTokenAction(connectionId);
      if (!result.ok) return setError(result.message);
      setAsking(false);
      setAccessToken(result.accessToken);
    });
  }
  function done() {
    setAccessToken(null);
    button.current?.focus();
  }

  return (
    <>
      <button
        ref={button}
        type="button"
        className={buttonClasses("secondary")}
        disabled={disabled || pending}
        onClick={() => {
          setError(null);
          setAsking(true);
        }}
      >
        New access token…
      </button>
      <ConfirmDialog
        open={asking}
        title="Issue a new access token?"
        confirmLabel="Issue a new token"
        pendingLabel="Issuing…"
        pending={pending}
        error={error}
        onClose={() => setAsking(false)}
        onConfirm={issue}
      >
        <p>
          The access token your backend uses for this connection stops working at once: reads with it answer 404 until you switch to the new one. Use this when
          the public token from Link was never exchanged, or when the token leaked.
        </p>
      </ConfirmDialog>
      <Dialog
        open={accessToken !== null}
        title="New access token"
        size="lg"
        onClose={done}
        footer={
          <Button type="button" onClick={done}>
            I have stored the token
          </Button>
        }
      >
        <Notice tone="warning">
          <strong className="font-semibold">Copy the access token now: it will not be shown again.</strong> Tributary keeps only a hash of it. The previous
          token no longer works.
        </Notice>
        {accessToken && <CopyField id="issued-access-token" label="Access token" value={accessToken} />}
      </Dialog>
    </>
  );
}
