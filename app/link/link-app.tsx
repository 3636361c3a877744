"use client";
// Link, in the end user's browser: choose a platform, read what will be shared, sign in on the
// platform (in a window of its own: platforms refuse to be framed) or enter an API key, and finish.
// It talks to the page that opened it (link.js) by postMessage, only ever to the origin that page
// declared; and it accepts the sign-in window's answer only from that window and its own origin.
// A sign-in that covered several accounts (Xero organisations) ends on a picker: Link sends the
// chosen id; the credentials stay on the server.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { PlatformMark } from "@/components/platform-mark";
import { useHydrated } from "@/components/ui/hydration";
import { objectLabel } from "@/lib/format";
import type { LinkView } from "@/lib/link/sessions";

type Platform = LinkView["platforms"][number];
type Failure = { error_code: string; error_message: string; field?: string | null };
type Metadata = { platform: string; platform_account_id: string; connection_id: string; is_relink: boolean; end_user_id: string | null };
type Choice = NonNullable<LinkView["pendingChoice"]>["choices"][number];

type Step =
  | { name: "choose" }
  | { name: "consent"; platform: Platform; error?: Failure }
  | { name: "api_key"; platform: Platform; error?: Failure }
  | { name: "waiting"; platform: Platform }
  | { name: "pick"; platform: Platform; choices: Choice[]; error?: Failure }
  | { name: "success"; platform: Platform; metadata: Metadata; accountName?: string }
  | { name: "fatal"; error: Failure };

export interface LinkAppProps {
  token: string;
  /** A re-link URL's capability: its session is made when the end user starts (token is "" until then). */
  relink?: string | null;
  /** The embedding page's origin (from link.js); messages go to it and nowhere else. */
  hostOrigin: string | null;
  mode: "iframe" | "popup" | "page";
  view: LinkView | null;
  error: Failure | null;
}

const SOURCE = "tributary-link";

export function LinkApp({ token, relink = null, hostOrigin, mode, view, error }: LinkAppProps) {
  const initial: Step =
    error || !view ? { name: "fatal", error: error ?? { error_code: "LINK_SESSION_NOT_FOUND", error_message: "This link is not valid." } } : firstStep(view);
  const [step, setStep] = useState<Step>(initial);
  const [busy, setBusy] = useState(false);
  // What the end user typed per platform (a store, a subdomain), kept across a failed sign-in.
  const [accounts, setAccounts] = useState<Record<string, string>>({});
  const popup = useRef<Window | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const lastError = useRef<Failure | null>(error);
  const sessionToken = useRef(token);
  // Until React runs, a click would submit the forms natively: the controls wait for hydration.
  const hydrated = useHydrated();

  const post = useCallback(
    (type: string, payload: Record<string, unknown> = {}) => {
      const target = mode === "iframe" ? (window.parent !== window ? window.parent : null) : mode === "popup" ? window.opener : null;
      if (target && hostOrigin) (target as Window).postMessage({ source: SOURCE, type, ...payload }, hostOrigin);
    },
    [mode, hostOrigin],
  );
  const emit = useCallback((name: string, metadata: Record<string, unknown> = {}) => post("event", { name, metadata }), [post]);
  const fail = useCallback(
    (failure: Failure) => {
      lastError.current = failure;
      emit("ERROR", { error_code: failure.error_code, error_message: failure.error_message });
    },
    [emit],
  );

  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    emit("OPEN", { session_id: view?.sessionId ?? null });
    if (error) emit("ERROR", { error_code: error.error_code, error_message: error.error_message });
  }, [emit, error, view]);

  // Focus follows the step, so keyboard and screen-reader users land on what changed.
  useEffect(() => heading.current?.focus(), [step.name]);

  const exit = useCallback(() => {
    popup.current?.close();
    // link.js turns "exit" into the EXIT event and onExit (it also sees exits Link cannot, like its window closed).
    if (step.name === "success") post("close");
    else {
      post("exit", { error: lastError.current, metadata: { session_id: view?.sessionId ?? null, step: step.name } });
    }
    if (mode === "popup" || mode === "page") window.close();
  }, [mode, post, step.name, view]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") exit();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [exit]);

  const succeed = useCallback(
    (platform: Platform, publicToken: string, metadata: Metadata, accountName?: string) => {
      lastError.current = null;
      setStep({ name: "success", platform, metadata, accountName });
      emit("SUCCESS", { platform: metadata.platform });
      post("success", { public_token: publicToken, metadata });
    },
    [emit, post],
  );

  // The sign-in window's answer.
  useEffect(() => {
    if (step.name !== "waiting") return;
    const platform = step.platform;
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.source !== popup.current) return;
      const data = event.data as { source?: string; ok?: boolean; public_token?: string; metadata?: Metadata; choice?: { choices: Choice[] }; error?: Failure };
      if (data?.source !== "tributary-link-oauth") return;
      popup.current = null;
      if (data.ok && data.public_token && data.metadata) succeed(platform, data.public_token, data.metadata);
      else if (data.ok && data.choice?.choices.length) {
        emit("CHOOSE_ACCOUNT", { platform: platform.key, count: data.choice.choices.length });
        setStep({ name: "pick", platform, choices: data.choice.choices });
      } else {
        const failure = data.error ?? { error_code: "PLATFORM_ERROR", error_message: "The sign-in did not finish. Try again." };
        fail(failure);
        setStep(fatalCodes.has(failure.error_code) ? { name: "fatal", error: failure } : { name: "consent", platform, error: failure });
      }
    };
    window.addEventListener("message", onMessage);
    // A window closed before it answered: back to where the user was. The answer is posted just
    // before the window closes, so a closed window gets a moment for its message to arrive.
    let closedAt: number | null = null;
    const timer = window.setInterval(() => {
      if (!popup.current?.closed) return;
      closedAt ??= Date.now();
      if (Date.now() - closedAt < 1500) return;
      popup.current = null;
      setStep({
        name: "consent",
        platform,
        error: { error_code: "OAUTH_WINDOW_CLOSED", error_message: `The ${platform.name} window was closed before you finished signing in.` },
      });
    }, 250);
    return () => {
      window.removeEventListener("message", onMessage);
      window.clearInterval(timer);
    };
  }, [step, succeed, fail, emit]);

  /** The session's token; from a re-link URL, the session is made now, on the end user's first step. */
  async function session(): Promise<string | Answer> {
    if (sessionToken.current || !relink) return sessionToken.current;
    const answer = await call("/link/api/relink", { relink });
    if (typeof answer.token !== "string") return answer;
    sessionToken.current = answer.token;
    return answer.token;
  }

  async function startOAuth(platform: Platform, account: string) {
    // Opened now, inside the click, so no pop-up blocker stops it; pointed at the platform once the server answers.
    const opened = window.open("", "tributary-oauth", "popup,width=520,height=720");
    if (!opened) {
      setStep({
        name: "consent",
        platform,
        error: {
          error_code: "POPUP_BLOCKED",
          error_message: `Your browser blocked the ${platform.name} sign-in window. Allow pop-ups for this site and choose Continue again.`,
        },
      });
      return;
    }
    opened.document.title = `Connecting to ${platform.name}…`;
    setBusy(true);
    const token = await session();
    const answer = typeof token === "string" ? await call("/link/api/oauth", { token, platform: platform.key, account }) : token;
    setBusy(false);
    if ("authorize_url" in answer) {
      popup.current = opened;
      opened.location.href = answer.authorize_url as string;
      emit("OPEN_OAUTH", { platform: platform.key });
      setStep({ name: "waiting", platform });
    } else {
      opened.close();
      fail(answer);
      setStep(fatalCodes.has(answer.error_code) ? { name: "fatal", error: answer } : { name: "consent", platform, error: answer });
    }
  }

  async function submitApiKey(platform: Platform, account: string, apiKey: string) {
    setBusy(true);
    const token = await session();
    const answer = typeof token === "string" ? await call("/link/api/api-key", { token, platform: platform.key, account, api_key: apiKey }) : token;
    setBusy(false);
    if ("public_token" in answer) succeed(platform, answer.public_token as string, answer.metadata as Metadata);
    else {
      fail(answer);
      setStep(fatalCodes.has(answer.error_code) ? { name: "fatal", error: answer } : { name: "api_key", platform, error: answer });
    }
  }

  async function pickAccount(platform: Platform, choices: Choice[], choice: Choice) {
    setBusy(true);
    const answer = await call("/link/api/tenant", { token: sessionToken.current, tenant_id: choice.id });
    setBusy(false);
    if ("public_token" in answer) succeed(platform, answer.public_token as string, answer.metadata as Metadata, choice.name);
    else {
      fail(answer);
      setStep(fatalCodes.has(answer.error_code) ? { name: "fatal", error: answer } : { name: "pick", platform, choices, error: answer });
    }
  }

  const choose = (platform: Platform) => {
    emit("SELECT_PLATFORM", { platform: platform.key });
    setStep({ name: "consent", platform });
  };
  const back = view && view.platforms.length > 1 && !view.relink ? () => setStep({ name: "choose" }) : null;

  return (
    <div className="scheme-light flex min-h-screen items-stretch justify-center bg-slate-100 sm:items-center sm:p-6">
      <main className="flex w-full flex-col bg-white sm:min-h-[600px] sm:max-w-[420px] sm:rounded-2xl sm:shadow-xl sm:ring-1 sm:ring-slate-900/5">
        <header className="flex items-center gap-2 border-b border-slate-100 px-5 py-3">
          {(step.name === "consent" || step.name === "api_key") && back ? (
            <button
              type="button"
              onClick={back}
              disabled={!hydrated}
              className="-ml-2 rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
              aria-label="Back to platforms"
            >
              <span aria-hidden="true">←</span>
            </button>
          ) : null}
          <p className="flex-1 truncate text-sm text-slate-500">
            {view ? (
              <>
                <span className="font-medium text-slate-800">{view.organizationName}</span> · Tributary
              </>
            ) : (
              "Tributary"
            )}
          </p>
          {view?.environment === "sandbox" ? <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">Sandbox</span> : null}
          <button
            type="button"
            onClick={exit}
            disabled={!hydrated}
            className="-mr-2 rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
            aria-label="Close"
          >
            <span aria-hidden="true" className="text-lg leading-none">
              ×
            </span>
          </button>
        </header>
        <fieldset disabled={!hydrated} className="m-0 flex min-w-0 flex-1 flex-col border-0 px-6 py-6" aria-live="polite">
          {step.name === "choose" && view ? <Choose view={view} onChoose={choose} heading={heading} /> : null}
          {step.name === "consent" && view ? (
            <Consent
              view={view}
              platform={step.platform}
              error={step.error}
              busy={busy}
              heading={heading}
              account={accounts[step.platform.key] ?? ""}
              onAccount={(value) => setAccounts((current) => ({ ...current, [step.platform.key]: value }))}
              onContinue={(account) => startOAuth(step.platform, account)}
              onApiKey={() => setStep({ name: "api_key", platform: step.platform })}
            />
          ) : null}
          {step.name === "api_key" && view ? (
            <ApiKeyForm
              view={view}
              platform={step.platform}
              error={step.error}
              busy={busy}
              heading={heading}
              onSubmit={(account, key) => submitApiKey(step.platform, account, key)}
              onOAuth={() => setStep({ name: "consent", platform: step.platform })}
            />
          ) : null}
          {step.name === "waiting" ? (
            <Waiting
              platform={step.platform}
              heading={heading}
              onReopen={() => popup.current?.focus()}
              onCancel={() => {
                popup.current?.close();
                popup.current = null;
                setStep({ name: "consent", platform: step.platform });
              }}
            />
          ) : null}
          {step.name === "pick" && view ? (
            <PickAccount
              view={view}
              platform={step.platform}
              choices={step.choices}
              error={step.error}
              busy={busy}
              heading={heading}
              onPick={(choice) => pickAccount(step.platform, step.choices, choice)}
              onRestart={() => setStep({ name: "consent", platform: step.platform })}
            />
          ) : null}
          {step.name === "success" && view ? (
            <Success view={view} platform={step.platform} metadata={step.metadata} accountName={step.accountName} heading={heading} onDone={exit} />
          ) : null}
          {step.name === "fatal" ? <Fatal error={step.error} heading={heading} onClose={exit} /> : null}
        </fieldset>
        <footer className="border-t border-slate-100 px-6 py-3 text-center text-xs text-slate-400">
          Secured by Tributary · Your credentials are encrypted and never shared
        </footer>
      </main>
    </div>
  );
}

/** Next to its field, "API key: did not accept…" reads "did not accept…" (capitalized). */
function withoutField(message: string): string {
  const rest = message.replace(/^[^:]{1,40}:\s*/, "");
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

const fatalCodes = new Set(["LINK_SESSION_NOT_FOUND", "LINK_SESSION_EXPIRED", "LINK_SESSION_COMPLETED"]);

function firstStep(view: LinkView): Step {
  // A sign-in already covered several accounts (Link was reloaded before the pick): the picker again.
  const pending = view.pendingChoice ? view.platforms.find((p) => p.key === view.pendingChoice!.platform) : undefined;
  if (pending && view.pendingChoice!.choices.length) return { name: "pick", platform: pending, choices: view.pendingChoice!.choices };
  if (view.relink) {
    const platform = view.platforms.find((p) => p.key === view.relink!.platform);
    if (platform) return { name: "consent", platform };
  }
  if (view.platforms.length === 1) return { name: "consent", platform: view.platforms[0] };
  return { name: "choose" };
}

/** A Link endpoint's answer: its fields, or a failure's error_code and error_message. */
type Answer = Record<string, unknown> & Failure;

async function call(path: string, body: Record<string, unknown>): Promise<Answer> {
  try {
    const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return (await response.json()) as Answer;
  } catch {
    return { error_code: "NETWORK_ERROR", error_message: "Could not reach Tributary. Check your connection and try again." };
  }
}

type HeadingRef = React.RefObject<HTMLHeadingElement | null>;

function Title({ heading, children }: { heading: HeadingRef; children: React.ReactNode }) {
  return (
    <h1 ref={heading} tabIndex={-1} className="text-xl font-semibold tracking-tight text-slate-900 outline-none">
      {children}
    </h1>
  );
}

function Choose({ view, onChoose, heading }: { view: LinkView; onChoose: (platform: Platform) => void; heading: HeadingRef }) {
  const [search, setSearch] = useState("");
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return view.platforms.filter((p) => !q || p.name.toLowerCase().includes(q) || p.category.includes(q));
  }, [search, view.platforms]);
  return (
    <>
      <Title heading={heading}>Connect an account</Title>
      <p className="mt-1 text-sm text-slate-600">{view.organizationName} will read data from the account you connect. Choose where your data lives.</p>
      <label htmlFor="platform-search" className="sr-only">
        Search platforms
      </label>
      <input
        id="platform-search"
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        placeholder="Search platforms"
        className="mt-5 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none"
      />
      <ul className="mt-3 space-y-2" aria-label="Platforms">
        {shown.map((platform) => (
          <li key={platform.key}>
            <button
              type="button"
              onClick={() => onChoose(platform)}
              className="flex w-full items-center gap-3 rounded-xl border border-slate-200 px-3 py-3 text-left hover:border-brand-500 hover:bg-brand-50/50"
            >
              <PlatformMark logo={platform.logo} />
              <span className="min-w-0 flex-1">
                <span className="block font-medium text-slate-900">{platform.name}</span>
                <span className="block text-xs capitalize text-slate-500">{platform.category}</span>
              </span>
              <span aria-hidden="true" className="text-slate-400">
                ›
              </span>
            </button>
          </li>
        ))}
      </ul>
      {shown.length === 0 ? <p className="mt-6 text-center text-sm text-slate-500">No platform matches “{search}”.</p> : null}
    </>
  );
}

function ErrorNote({ error }: { error?: Failure }) {
  if (!error) return null;
  return (
    <div role="alert" className="mt-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800">
      {error.error_message}
    </div>
  );
}

function Consent({
  view,
  platform,
  error,
  busy,
  heading,
  account,
  onAccount,
  onContinue,
  onApiKey,
}: {
  view: LinkView;
  platform: Platform;
  error?: Failure;
  busy: boolean;
  heading: HeadingRef;
  account: string;
  onAccount: (value: string) => void;
  onContinue: (account: string) => void;
  onApiKey: () => void;
}) {
  const field = platform.accountField;
  const fieldError = error?.field === "account" ? error : undefined;
  return (
    <form
      className="flex flex-1 flex-col"
      onSubmit={(event) => {
        event.preventDefault();
        onContinue(account);
      }}
    >
      <div className="flex items-center gap-3">
        <PlatformMark logo={platform.logo} size={44} />
        <Title heading={heading}>{view.relink ? `Reconnect ${platform.name}` : `Connect ${platform.name}`}</Title>
      </div>
      <p className="mt-3 text-sm text-slate-600">
        {view.relink ? (
          <>
            Sign in to <strong>{view.relink.accountName ?? view.relink.accountId}</strong> again so {view.organizationName} can keep reading its data.
          </>
        ) : (
          <>
            <strong>{view.organizationName}</strong> asks for read-only access to:
          </>
        )}
      </p>
      <ul className="mt-3 flex flex-wrap gap-1.5" aria-label="Data that will be read">
        {platform.objects.map((object) => (
          <li key={object} className="rounded-full bg-slate-100 px-2.5 py-1 text-xs font-medium text-slate-700">
            {objectLabel(object)}
          </li>
        ))}
      </ul>
      <p className="mt-3 text-xs text-slate-500">
        Permissions requested:{" "}
        {platform.scopes.map((scope, index) => (
          <span key={scope}>
            {index > 0 ? ", " : null}
            <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px]">{scope}</code>
          </span>
        ))}
        . Nothing is written to your account.
      </p>
      {field ? (
        <div className="mt-5">
          <label htmlFor="account" className="block text-sm font-medium text-slate-800">
            {field.label}
          </label>
          <div className={`mt-1.5 flex rounded-lg border ${fieldError ? "border-red-400" : "border-slate-300"} focus-within:border-brand-500`}>
            <input
              id="account"
              name="account"
              required
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={account}
              onChange={(event) => onAccount(event.target.value)}
              placeholder={field.placeholder}
              aria-invalid={Boolean(fieldError)}
              aria-describedby="account-hint"
              className="min-w-0 flex-1 rounded-lg px-3 py-2 text-sm outline-none placeholder:text-slate-400"
            />
            {field.suffix ? <span className="flex items-center pr-3 text-sm text-slate-500">{field.suffix}</span> : null}
          </div>
          <p id="account-hint" className={`mt-1 text-xs ${fieldError ? "text-red-700" : "text-slate-500"}`}>
            {fieldError ? withoutField(fieldError.error_message) : field.hint}
          </p>
        </div>
      ) : null}
      {fieldError ? null : <ErrorNote error={error} />}
      <div className="mt-auto pt-6">
        <button
          type="submit"
          disabled={busy}
          className="w-full rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:bg-brand-600/60"
        >
          {busy ? "Opening…" : error && !fieldError ? "Try again" : `Continue to ${platform.name}`}
        </button>
        <p className="mt-2 text-center text-xs text-slate-500">
          You sign in on {platform.name}; {view.organizationName} never sees your password.
        </p>
        {platform.apiKey && !view.relink ? (
          <button type="button" onClick={onApiKey} className="mt-3 w-full rounded-lg px-4 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50">
            Use an API key instead
          </button>
        ) : null}
      </div>
    </form>
  );
}

function ApiKeyForm({
  view,
  platform,
  error,
  busy,
  heading,
  onSubmit,
  onOAuth,
}: {
  view: LinkView;
  platform: Platform;
  error?: Failure;
  busy: boolean;
  heading: HeadingRef;
  onSubmit: (account: string, apiKey: string) => void;
  onOAuth: () => void;
}) {
  const [account, setAccount] = useState(view.relink?.accountId ?? "");
  const [apiKey, setApiKey] = useState("");
  const field = platform.apiKey!;
  const errorFor = (name: string) => (error?.field === name ? error : undefined);
  return (
    <form
      className="flex flex-1 flex-col"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(account, apiKey);
      }}
    >
      <div className="flex items-center gap-3">
        <PlatformMark logo={platform.logo} size={44} />
        <Title heading={heading}>{platform.name} API key</Title>
      </div>
      <p className="mt-3 text-sm text-slate-600">
        Create a read-only API key in {platform.name} and paste it here. {view.organizationName} will read your{" "}
        {platform.objects.slice(0, 3).map(objectLabel).join(", ").toLowerCase()} and more.
      </p>
      <div className="mt-5 space-y-4">
        <TextField
          id="company"
          label={field.label}
          value={account}
          onChange={setAccount}
          placeholder={field.placeholder}
          hint={field.hint}
          error={errorFor("account")}
          disabled={Boolean(view.relink)}
        />
        <TextField
          id="api-key"
          label="API key"
          value={apiKey}
          onChange={setApiKey}
          placeholder="Paste the key"
          hint="It is encrypted as soon as it arrives and never shown again."
          error={errorFor("api_key")}
          secret
        />
      </div>
      {error && !error.field ? <ErrorNote error={error} /> : null}
      <div className="mt-auto pt-6">
        <button
          type="submit"
          disabled={busy}
          className="w-full rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:bg-brand-600/60"
        >
          {busy ? "Checking the key…" : "Connect"}
        </button>
        <button type="button" onClick={onOAuth} className="mt-3 w-full rounded-lg px-4 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50">
          Sign in with {platform.name} instead
        </button>
      </div>
    </form>
  );
}

function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  hint: string;
  error?: Failure;
  secret?: boolean;
  disabled?: boolean;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <input
        id={props.id}
        required
        type={props.secret ? "password" : "text"}
        autoComplete="off"
        spellCheck={false}
        disabled={props.disabled}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        placeholder={props.placeholder}
        aria-invalid={Boolean(props.error)}
        aria-describedby={`${props.id}-hint`}
        className={`mt-1.5 w-full rounded-lg border px-3 py-2 text-sm outline-none placeholder:text-slate-400 focus:border-brand-500 disabled:bg-slate-50 ${props.error ? "border-red-400" : "border-slate-300"}`}
      />
      <p id={`${props.id}-hint`} className={`mt-1 text-xs ${props.error ? "text-red-700" : "text-slate-500"}`}>
        {props.error ? withoutField(props.error.error_message) : props.hint}
      </p>
    </div>
  );
}

function Waiting({ platform, heading, onReopen, onCancel }: { platform: Platform; heading: HeadingRef; onReopen: () => void; onCancel: () => void }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center text-center">
      <div className="relative">
        <PlatformMark logo={platform.logo} size={56} />
        <span className="absolute -right-1 -bottom-1 h-4 w-4 animate-pulse rounded-full border-2 border-white bg-brand-500" aria-hidden="true" />
      </div>
      <div className="mt-5">
        <Title heading={heading}>Finish in the {platform.name} window</Title>
      </div>
      <p className="mt-2 max-w-xs text-sm text-slate-600">Sign in and choose Allow. This screen moves on by itself when you are done.</p>
      <div className="mt-6 flex gap-2">
        <button
          type="button"
          onClick={onReopen}
          className="rounded-lg border border-slate-300 px-3.5 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
        >
          Show the window
        </button>
        <button type="button" onClick={onCancel} className="rounded-lg px-3.5 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100">
          Cancel
        </button>
      </div>
    </div>
  );
}

function PickAccount({
  view,
  platform,
  choices,
  error,
  busy,
  heading,
  onPick,
  onRestart,
}: {
  view: LinkView;
  platform: Platform;
  choices: Choice[];
  error?: Failure;
  busy: boolean;
  heading: HeadingRef;
  onPick: (choice: Choice) => void;
  onRestart: () => void;
}) {
  const [picked, setPicked] = useState<string>("");
  const choice = choices.find((c) => c.id === picked);
  const fieldError = error?.field === "tenant_id" ? error : undefined;
  return (
    <form
      className="flex flex-1 flex-col"
      onSubmit={(event) => {
        event.preventDefault();
        if (choice) onPick(choice);
      }}
    >
      <div className="flex items-center gap-3">
        <PlatformMark logo={platform.logo} size={40} />
        <Title heading={heading}>Choose the organisation to connect</Title>
      </div>
      <p className="mt-3 text-sm text-slate-600">
        You gave {view.organizationName} access to {choices.length} {platform.name} organisations. Each connection reads one: pick the one to connect now.
      </p>
      <fieldset className="mt-5 min-w-0" aria-describedby={fieldError ? "pick-error" : undefined}>
        <legend className="sr-only">{platform.name} organisations</legend>
        <ul className="max-h-[320px] space-y-2 overflow-y-auto">
          {choices.map((c) => (
            <li key={c.id}>
              <label
                className={`flex cursor-pointer items-center gap-3 rounded-lg border px-3.5 py-3 text-sm transition-colors ${picked === c.id ? "border-brand-500 bg-brand-50 ring-1 ring-brand-500" : "border-slate-200 hover:border-slate-300 hover:bg-slate-50"}`}
              >
                <input
                  type="radio"
                  name="tenant_id"
                  value={c.id}
                  checked={picked === c.id}
                  onChange={() => setPicked(c.id)}
                  className="h-4 w-4 accent-brand-600"
                />
                <span className="min-w-0 flex-1 truncate font-medium text-slate-800">{c.name}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {fieldError ? (
        <p id="pick-error" role="alert" className="mt-2 text-xs text-red-700">
          {withoutField(fieldError.error_message)}
        </p>
      ) : (
        <ErrorNote error={error} />
      )}
      <div className="mt-auto pt-6">
        <button
          type="submit"
          disabled={busy || !choice}
          className="w-full rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:bg-brand-600/60"
        >
          {busy ? "Connecting…" : choice ? `Connect ${choice.name}` : "Choose an organisation"}
        </button>
        <button type="button" onClick={onRestart} className="mt-3 w-full rounded-lg px-4 py-2 text-sm font-medium text-brand-700 hover:bg-brand-50">
          Sign in to {platform.name} again
        </button>
      </div>
    </form>
  );
}

function Success({
  view,
  platform,
  metadata,
  accountName,
  heading,
  onDone,
}: {
  view: LinkView;
  platform: Platform;
  metadata: Metadata;
  accountName?: string;
  heading: HeadingRef;
  onDone: () => void;
}) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center text-center">
      <div className="flex h-14 w-14 items-center justify-center rounded-full bg-emerald-100 text-2xl text-emerald-700" aria-hidden="true">
        ✓
      </div>
      <div className="mt-5">
        <Title heading={heading}>{metadata.is_relink ? "Reconnected" : "Connected"}</Title>
      </div>
      <p className="mt-2 max-w-xs text-sm text-slate-600">
        {view.organizationName} can now read <strong>{accountName ?? metadata.platform_account_id}</strong> on {platform.name}. Your data starts syncing right
        away.
      </p>
      <button
        type="button"
        onClick={onDone}
        className="mt-8 w-full rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
      >
        Done
      </button>
    </div>
  );
}

function Fatal({ error, heading, onClose }: { error: Failure; heading: HeadingRef; onClose: () => void }) {
  const title =
    error.error_code === "LINK_SESSION_EXPIRED"
      ? "This link has expired"
      : error.error_code === "LINK_SESSION_COMPLETED"
        ? "Already connected"
        : "This link does not work";
  return (
    <div className="flex flex-1 flex-col items-center justify-center text-center">
      <div className="flex h-14 w-14 items-center justify-center rounded-full bg-amber-100 text-2xl text-amber-700" aria-hidden="true">
        !
      </div>
      <div className="mt-5">
        <Title heading={heading}>{title}</Title>
      </div>
      <p role="alert" className="mt-2 max-w-xs text-sm text-slate-600">
        {error.error_message}
      </p>
      <button
        type="button"
        onClick={onClose}
        className="mt-8 w-full rounded-lg border border-slate-300 px-4 py-2.5 text-sm font-semibold text-slate-800 hover:bg-slate-50"
      >
        Close
      </button>
    </div>
  );
}
