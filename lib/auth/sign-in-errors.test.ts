import { describe, expect, it } from "vitest";
import { signInErrorMessage, throttledSignInError } from "./sign-in-errors";

describe("what a refused sign-in says", () => {
  it("turns the throttle's error into minutes, rounded up", () => {
    expect(signInErrorMessage(throttledSignInError(59))).toBe("Too many attempts; try again in 1 minute.");
    expect(signInErrorMessage(throttledSignInError(61))).toBe("Too many attempts; try again in 2 minutes.");
    expect(signInErrorMessage(throttledSignInError(15 * 60))).toBe("Too many attempts; try again in 15 minutes.");
  });

  it("says wrong credentials without saying which, and nothing of an unknown value", () => {
    expect(signInErrorMessage("CredentialsSignin")).toBe("Wrong email or password. Check both and try again.");
    expect(signInErrorMessage("SignInUnavailable")).toBe("Sign-in is unavailable right now. Try again in a moment.");
    expect(signInErrorMessage("<script>", "fallback")).toBe("fallback");
    expect(signInErrorMessage("TooManyAttempts:99999999", "fallback")).toBe("fallback");
  });
});
