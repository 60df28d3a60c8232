import { describe, expect, it } from "vitest";
import { mean } from "simple-statistics";
import { builtInProfile, parseCustomProfile, PROFILE_NAMES } from "@/lib/harness/profiles";
import { drawLength, fitContext, promptForLengths, requestRng, synthesiseRequest } from "@/lib/harness/workload";
import { countTokens } from "@/lib/simulator";

describe("workload profiles", () => {
  it("has varcas's profile names", () => {
    expect(PROFILE_NAMES).toEqual([
      "chat_low",
      "chat_medium",
      "chat_high",
      "rag_small",
      "rag_medium",
      "rag_large",
      "rag_xlarge",
      "code_low",
      "code_medium",
      "code_high",
      "mixed",
      "burst",
      "closed_loop",
    ]);
    expect(builtInProfile("burst")).toMatchObject({ arrival: "gamma", burstiness: 0.25 });
    expect(builtInProfile("closed_loop")?.concurrentUsers).toBe(10);
    expect(builtInProfile("nope")).toBeNull();
  });

  it("a custom profile is checked field by field", () => {
    const ok = parseCustomProfile({
      name: "mine",
      rate: 3,
      workloads: [{ name: "q", type: "chat", weight: 1, input: { mean: 40, sigma: 0.2 }, output: { mean: 80, sigma: 0.3 } }],
    });
    expect(ok.rate).toBe(3);
    expect(() => parseCustomProfile({ name: "x", rate: -1, workloads: [] }, "mine.json")).toThrow(/^mine\.json\./);
    expect(() =>
      parseCustomProfile({
        name: "x",
        rate: 1,
        workloads: [{ name: "q", type: "poetry", weight: 1, input: { mean: 1 }, output: { mean: 1 } }],
      }),
    ).toThrow(/workloads\[0\]\.type/);
  });
});

describe("synthetic requests", () => {
  it("request i depends on (seed, i) only", () => {
    const p = builtInProfile("mixed")!;
    const a = synthesiseRequest(p, 42, 17, 1.5);
    expect(synthesiseRequest(p, 42, 17, 1.5)).toEqual(a);
    expect(synthesiseRequest(p, 43, 17, 1.5).prompt).not.toBe(a.prompt);
    expect(synthesiseRequest(p, 42, 18, 1.5).prompt).not.toBe(a.prompt);
    expect(a.timestamp).toBe(1.5);
    expect(["chat", "rag", "code"]).toContain(a.workloadType);
  });

  it("lengths follow the profile: log-normal with the stated mean; prompts are about that many tokens", () => {
    const p = builtInProfile("chat_medium")!;
    const rs = Array.from({ length: 4000 }, (_, i) => synthesiseRequest(p, 1, i, 0));
    // chat(50, 150): input mean 50, output mean 150 (clipping at min/max moves them little)
    expect(mean(rs.map((r) => r.inputTokens!))).toBeGreaterThan(45);
    expect(mean(rs.map((r) => r.inputTokens!))).toBeLessThan(55);
    expect(mean(rs.map((r) => r.maxTokens))).toBeGreaterThan(135);
    expect(mean(rs.map((r) => r.maxTokens))).toBeLessThan(165);
    // the simulator's tokenizer counts each synthesised prompt within 20% of its intended length
    for (const r of rs.slice(0, 200)) {
      const counted = countTokens(r.prompt!);
      expect(Math.abs(counted - r.inputTokens!) / r.inputTokens!).toBeLessThan(0.2 + 4 / r.inputTokens!);
    }
    const mixed = builtInProfile("mixed")!;
    const types = Array.from({ length: 3000 }, (_, i) => synthesiseRequest(mixed, 3, i, 0).workloadType);
    const share = (t: string) => types.filter((x) => x === t).length / types.length;
    expect(share("chat")).toBeGreaterThan(0.46);
    expect(share("chat")).toBeLessThan(0.54);
    expect(share("code")).toBeGreaterThan(0.17);
    expect(share("code")).toBeLessThan(0.23);
  });

  it("drawLength is clipped to [min, max] and mean-matched", () => {
    const r = requestRng(5, 0);
    const xs = Array.from({ length: 20_000 }, () => drawLength(r, { mean: 300, sigma: 0.7, min: 1, max: 1e9 }));
    expect(Math.abs(mean(xs) / 300 - 1)).toBeLessThan(0.03);
    const clipped = Array.from({ length: 2000 }, () => drawLength(r, { mean: 300, sigma: 2, min: 10, max: 400 }));
    expect(Math.min(...clipped)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...clipped)).toBeLessThanOrEqual(400);
  });

  it("fits prompt and answer into the context (varcas's --max-context and --context-margin)", () => {
    expect(fitContext(100, 200, null)).toEqual({ input: 100, output: 200 });
    expect(fitContext(100, 200, { maxContext: 256, margin: 6 })).toEqual({ input: 100, output: 150 });
    expect(fitContext(1000, 200, { maxContext: 256, margin: 6 })).toEqual({ input: 249, output: 1 });
  });

  it("a length-only trace request gets a reproducible prompt of that length", () => {
    const a = promptForLengths(7, 3, 120, "rag");
    expect(promptForLengths(7, 3, 120, "rag")).toBe(a);
    expect(a).toMatch(/^Context: /);
    expect(Math.abs(countTokens(a) - 120)).toBeLessThan(25);
  });
});
