// The README's "smallest experiment the API accepts, as a draft that can then be started" is the tests' minimal body,
// and it passes the start rules as it is (the integration tier starts it against the real API).
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { designProblems } from "@/lib/experiments/startRules";
import { createExperimentSchema } from "@/lib/validation/experiments";
import { minimalExperimentBody } from "../support/experiments";

/** The JSON body of the README's first `curl -X POST .../api/v1/experiments ... -d '{...}'`. */
function readmeMinimalBody(): unknown {
  const readme = fs.readFileSync("README.md", "utf8");
  const match = readme.match(/curl -X POST http:\/\/localhost:3000\/api\/v1\/experiments [^\n]*-d '(\{[\s\S]*?\})'/);
  if (!match) throw new Error("README.md has no minimal experiment curl example");
  return JSON.parse(match[1]);
}

describe("README minimal experiment", () => {
  it("is the body the tests create as the minimal experiment", () => {
    expect(readmeMinimalBody()).toEqual(minimalExperimentBody("support-persona"));
  });
  it("validates and breaks no start rule", () => {
    const parsed = createExperimentSchema.parse(readmeMinimalBody());
    expect(designProblems(parsed)).toEqual([]);
  });
});
