// The endpoint form's parsing: form fields become the library's input, and the library's field paths
// come back next to the right form field.
import { describe, expect, it } from "vitest";
import { validateEndpoint } from "@/lib/webhooks/endpoints";
import { fieldErrorsOf, parseEndpointForm } from "./schema";

const values = {
  url: "https://example.com/hooks",
  description: " Orders ",
  eventTypes: ["ORDER_CREATED", "ORDER_CREATED"],
  retrySchedule: "0, 5,300",
  timeoutSeconds: "10",
  orderingWaitSeconds: "600",
};

describe("endpoint form", () => {
  it("turns fields into the library's input", () => {
    expect(parseEndpointForm(values)).toEqual({
      ok: true,
      input: {
        url: "https://example.com/hooks",
        description: "Orders",
        eventTypes: ["ORDER_CREATED"],
        retrySchedule: [0, 5, 300],
        timeoutMs: 10_000,
        orderingWaitSeconds: 600,
      },
    });
    expect(parseEndpointForm({ ...values, orderingWaitSeconds: "" })).toMatchObject({ ok: true, input: { orderingWaitSeconds: 3600 } });
    expect(parseEndpointForm({ ...values, orderingWaitSeconds: "0" })).toMatchObject({ ok: true, input: { orderingWaitSeconds: 0 } });
  });

  it("refuses a URL over 2,048 characters and an ordering wait that is not whole seconds, next to their fields", () => {
    const url = `https://example.com/${"a".repeat(10_000)}`;
    expect(parseEndpointForm({ ...values, url, orderingWaitSeconds: "an hour" })).toEqual({
      ok: false,
      fieldErrors: {
        url: "Keep the URL to 2,048 characters or fewer.",
        ordering_wait_seconds: "Enter a whole number of seconds, 0 to never hold events back.",
      },
    });
    const parsed = parseEndpointForm({ ...values, orderingWaitSeconds: "90000" });
    if (!parsed.ok) throw new Error("expected the form to parse");
    expect(fieldErrorsOf(validateEndpoint(parsed.input), parsed.input)).toEqual({ ordering_wait_seconds: "Must be whole seconds from 0 to 86,400" });
  });

  it("names a missing URL and an unreadable schedule next to their fields", () => {
    const parsed = parseEndpointForm({ ...values, url: " ", retrySchedule: "soon" });
    expect(parsed).toEqual({ ok: false, fieldErrors: { url: expect.stringMatching(/Enter the URL/), retry_schedule: expect.stringMatching(/whole seconds/) } });
  });

  it("puts the library's problems next to the event types, schedule and timeout", () => {
    const parsed = parseEndpointForm({
      ...values,
      url: "ftp://example.com",
      eventTypes: ["ORDER_CREATED", "NOPE_*"],
      retrySchedule: "0, 999999999",
      timeoutSeconds: "120",
    });
    if (!parsed.ok) throw new Error("expected the form to parse");
    const errors = fieldErrorsOf(validateEndpoint(parsed.input), parsed.input);
    expect(errors).toEqual({
      url: "Must use https (or http)",
      event_types: '"NOPE_*" matches no event type',
      retry_schedule: "999999999 s must be whole seconds from 0 to 7 days",
      timeout_ms: "Must be from 1 to 60 seconds",
    });
  });
});
