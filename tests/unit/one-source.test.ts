// DESIGN.md, "One source per shape": the plan defaults, the variable under test and the variant configuration's fields
// are each written once (lib/stats/power's PLAN_DEFAULTS, lib/validation/experiments' schemas) and imported everywhere.
// These checks fail when a new copy appears in the product's sources.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_FIELDS, VARIABLES, isNumberConfigField, variantConfigSchema } from "@/lib/validation/experiments";
import { configDraftOf, configInputName, configOf } from "@/components/experiments/draft";
import { sourceFiles } from "../support/sourceFiles";

const product = ["lib", "components", "app", "cli", "workers", "prisma"]
  .flatMap((dir) => sourceFiles(dir, (name) => /\.(ts|tsx|mjs)$/.test(name)))
  .filter((file) => !file.startsWith("lib/generated/"));
const read = (file: string) => fs.readFileSync(file, "utf8");

describe("one source per shape", () => {
  it("the plan defaults (alpha 0.05, power 0.8) are written only in PLAN_DEFAULTS", () => {
    // `alpha ?? 0.05`, `.default(0.8)`, `power: 0.8`, a CLI flag's `, 0.05)` default.
    const copy = /\b(alpha|power)\b[^\n]{0,60}?(\?\?|\.default\(|:|,)\s*0\.(05|8)\b(?!\d)/;
    const copies = product.filter((file) => file !== "lib/stats/power.ts" && copy.test(read(file)));
    expect(copies).toEqual([]);
    expect(read("lib/stats/power.ts")).toMatch(/export const PLAN_DEFAULTS = \{\n\s+alpha: 0\.05,\n\s+power: 0\.8,/);
  });

  it("the variable under test's type is VariableUnderTest (z.infer of its schema), and its values are listed once", () => {
    const variableList = new RegExp(
      VARIABLES.slice(0, 3)
        .map((v) => `"${v}"`)
        .join(",\\s*"),
    );
    expect(product.filter((file) => read(file).includes("(typeof VARIABLES)[number]"))).toEqual([]);
    expect(product.filter((file) => variableList.test(read(file)))).toEqual(["lib/validation/experiments.ts"]);
  });

  it("the variant configuration's fields come from its schema: CONFIG_FIELDS, the drafts and the error paths follow it", () => {
    const schemaKeys = Object.keys(variantConfigSchema.shape);
    expect(CONFIG_FIELDS.filter((f) => !f.startsWith("rag.")).length + 1).toBe(schemaKeys.length);
    expect(Object.keys(configInputName)).toEqual([...CONFIG_FIELDS]);
    // Every field round-trips through the form's draft.
    const config = {
      endpoint: "http://vllm:8000/v1",
      endpointId: "cl-endpoint-1",
      model: "m",
      systemPrompt: " keep my spaces ",
      systemPromptVersion: "v1",
      temperature: 0.7,
      topP: 0.9,
      maxTokens: 256,
      rag: { retriever: "bm25", topK: 5, chunkSize: 512, reranker: "none" },
      toolUsePrompt: "tools",
      pricePer1MInput: 0.18,
      pricePer1MOutput: 0.59,
    };
    expect(Object.keys(config).sort()).toEqual([...schemaKeys].sort());
    expect(configOf(configDraftOf(config))).toEqual(config);
    // A config field list written out by hand (five or more of the names) lives only in the schema; the labels
    // (Record<ConfigField, string>) and the fields each variable may change (Record<Variable, ConfigField[]>) are typed by
    // it, and the demo's values are data, so they may name fields.
    const names = ["systemPromptVersion", "topP", "maxTokens", "toolUsePrompt", "pricePer1MInput", "pricePer1MOutput", "chunkSize"];
    const allowed = [
      "lib/validation/experiments.ts",
      "components/experiments/configFields.ts",
      "lib/experiments/singleVariable.ts",
      "lib/demo/experiments.ts",
    ];
    const lists = product.filter(
      (file) => !allowed.includes(file) && !file.endsWith("VariantsEditor.tsx") && names.filter((n) => read(file).includes(n)).length >= 5,
    );
    expect(lists).toEqual([]);
  });

  it("the variants form has an input of the right kind for every configuration field", () => {
    const editor = read("components/experiments/VariantsEditor.tsx");
    for (const field of CONFIG_FIELDS) {
      const name = configInputName[field];
      const input = isNumberConfigField(field)
        ? new RegExp(String.raw`number\(\s*"${name}"`)
        : new RegExp(String.raw`text\(\s*"${name}"|v\.config\.${name}\b`);
      expect(input.test(editor), `${field} has no ${isNumberConfigField(field) ? "number" : "text"} input`).toBe(true);
    }
  });
});
