// What a refused sign-in says. next-auth 4's credentials provider reports a refusal only as the
// `error` parameter of its answer (the client's signIn() result, or /sign-in?error=… after a redirect):
// `CredentialsSignin` for wrong credentials, or the message of an error authorize() threw. A throttled
// attempt throws `TooManyAttempts:<seconds until the lock ends>`, which both the form and the page
// turn into words here. The parameter can be typed into a URL by anyone: it only ever picks a message.

const THROTTLED = "TooManyAttempts";

export function throttledSignInError(retryAfterSeconds: number): string {
  return `${THROTTLED}:${Math.max(1, Math.ceil(retryAfterSeconds))}`;
}

/** "Too many attempts; try again in 3 minutes." */
export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts; try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

/** Thrown by authorize() for anything unexpected, so no internal message reaches the URL. */
export const SIGN_IN_UNAVAILABLE = "SignInUnavailable";

/** The sentence for next-auth's `error` value; `otherwise` for values this file does not know. */
export function signInErrorMessage(error: string, otherwise = "Your session could not be started. Sign in again."): string {
  const throttled = new RegExp(`^${THROTTLED}:(\\d{1,6})$`).exec(error);
  if (throttled) return throttledMessage(Number(throttled[1]));
  if (error === "CredentialsSignin") return "Wrong email or password. Check both and try again.";
  if (error === SIGN_IN_UNAVAILABLE) return "Sign-in is unavailable right now. Try again in a moment.";
  return otherwise;
}
