import { describe, expect, it } from "vitest";
import { parseJobDefinition } from "@/lib/jobs/definition";
import { JOB_TEMPLATES, templateText } from "./templates";
import { readJsonText } from "@/lib/input/json-text";

describe("job editor templates", () => {
  it.each(JOB_TEMPLATES.map((template) => [template.label, template] as const))("%s is a definition the library saves", (_label, template) => {
    const text = readJsonText(templateText(template));
    expect(text.ok).toBe(true);
    expect(() => parseJobDefinition(text.ok ? text.value : null)).not.toThrow();
  });

  it("have distinct keys", () => {
    expect(new Set(JOB_TEMPLATES.map((template) => template.key)).size).toBe(JOB_TEMPLATES.length);
  });
});
