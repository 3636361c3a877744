import { describe, expect, it } from "vitest";
import { ConfigError, listenHost } from "./config";

describe("the address the app listens on", () => {
  it("is loopback for npm run dev and every interface for npm start, unless TRIBUTARY_HOST says otherwise", () => {
    expect(listenHost("dev", {})).toBe("127.0.0.1");
    expect(listenHost("start", {})).toBeNull();
    expect(listenHost("dev", { TRIBUTARY_HOST: "0.0.0.0" })).toBe("0.0.0.0");
    expect(listenHost("dev", { TRIBUTARY_HOST: "::" })).toBe("::");
    expect(listenHost("start", { TRIBUTARY_HOST: "127.0.0.1" })).toBe("127.0.0.1");
    expect(listenHost("dev", { TRIBUTARY_HOST: "tributary.internal" })).toBe("tributary.internal");
  });

  it("refuses a value that is neither an address nor a host name", () => {
    expect(() => listenHost("dev", { TRIBUTARY_HOST: "http://0.0.0.0:3000" })).toThrow(ConfigError);
    expect(() => listenHost("dev", { TRIBUTARY_HOST: "0.0.0.0:3000" })).toThrow(
      'TRIBUTARY_HOST must be an address or a host name (127.0.0.1, 0.0.0.0, ::), got "0.0.0.0:3000"',
    );
  });
});
