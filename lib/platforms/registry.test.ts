// Every registered platform's folder agrees with itself (definition, connector, emulator), and
// platforms that share an object key agree on what it is called in events.
import { describe, expect, it } from "vitest";
import { definitionProblems, emulatorProblems } from "./conformance.testing";
import { PLATFORMS } from "./registry";
import { ledgerly } from "./testing/ledgerly";
import type { Platform } from "./types";

describe.each(PLATFORMS.map((platform) => ({ key: platform.definition.key, platform })))("$key", ({ platform }) => {
  it("has a definition its connector and emulator agree with", () => {
    expect(definitionProblems(platform)).toEqual([]);
  });

  it("lists every object, window, update filter and declared filter from its emulator, and understands its webhooks", async () => {
    expect(await emulatorProblems(platform)).toEqual([]);
  }, 60_000);
});

describe("the registry", () => {
  it("names each platform once, and one event name per object key across platforms", () => {
    const keys = PLATFORMS.map((platform) => platform.definition.key);
    expect(new Set(keys).size).toBe(keys.length);
    const eventOf = new Map<string, string>();
    for (const { definition } of PLATFORMS) {
      for (const object of definition.objects) {
        expect(eventOf.get(object.key) ?? object.event, `${definition.key}.${object.key}`).toBe(object.event);
        eventOf.set(object.key, object.event);
      }
    }
  });
});

describe("the conformance check", () => {
  // A check that passes everything proves nothing: each disagreement below is one a contributor could make.
  const broken = (change: (platform: Platform) => Platform): Platform => change({ ...ledgerly, definition: ledgerly.definition });

  it("finds a definition that disagrees with its emulator or itself", () => {
    expect(definitionProblems(ledgerly)).toEqual([]);
    const renamed = broken((p) => ({ ...p, sandbox: { ...p.sandbox, groundTruth: { ...p.sandbox.groundTruth, tax_codes: "tax_codes" } } }));
    expect(definitionProblems(renamed)).toEqual([
      'the emulator keeps ground truth for "tax_codes", which the definition does not offer',
      'the emulator\'s ground truth of tax_codes names "tax_codes", which it does not generate',
    ]);
    const definition = {
      ...ledgerly.definition,
      objects: [{ ...ledgerly.definition.objects[0], event: "TAX_CLASSE", dependsOn: ["tax_rates"] }, ledgerly.definition.objects[1]],
    };
    const circular = { ...ledgerly, definition, connector: { ...ledgerly.connector, definition, objects: definition.objects } };
    expect(definitionProblems(circular)).toEqual(["objects depend on each other in a circle: tax_classes → tax_rates → tax_classes"]);
    const keys = {
      ...ledgerly.definition,
      auth: "oauth2_or_api_key" as const,
      link: { ...ledgerly.definition.link, apiKeyAccountField: ledgerly.definition.link.accountField },
    };
    const apiKeys = { ...ledgerly, definition: keys, connector: { ...ledgerly.connector, definition: keys } };
    expect(definitionProblems(apiKeys)).toEqual(["the definition says the platform takes API keys but the emulator refuses them"]);
  });

  it("finds an emulator that does not serve what the definition claims", async () => {
    expect(await emulatorProblems(ledgerly)).toEqual([]);
    // The emulator stops honouring the tax_class_id filter: the definition still declares it.
    const ignoresFilter = broken((p) => ({
      ...p,
      sandbox: {
        ...p.sandbox,
        handle: (request, dataset) =>
          p.sandbox.handle({ ...request, query: new URLSearchParams([...request.query].filter(([name]) => name !== "tax_class_id")) }, dataset),
      },
    }));
    expect(await emulatorProblems(ignoresFilter)).toEqual([
      expect.stringMatching(/^tax_rates: filtering by tax_class_id=\d+ did not return exactly that tax_class_id's records$/),
    ]);
  }, 60_000);
});
