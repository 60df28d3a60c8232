import { describe, expect, it } from "vitest";
import { percent, quantileLabel, significant } from "@/lib/format/number";
import { signedPercent } from "@/components/planner/format";
import { formatPlan } from "@/cli/commands/plan";
import { planSampleSize } from "@/lib/stats/power";

describe("numbers never read as a different number", () => {
  it.each([
    [0.95, "P95"],
    [0.5, "P50"],
    [0.99, "P99"],
    [0.999, "P99.9"], // was "P100" (Math.round(0.999 · 100))
    [0.9999, "P99.99"],
  ])("quantile %s reads %s", (q, label) => {
    expect(quantileLabel(q)).toBe(label);
  });

  it.each([
    [0.005, "0.5%"],
    [0.00005, "0.005%"],
    [0.00004, "0.004%"], // toFixed(2) of 0.004 made this "0%"
    [0.1 * 3, "30%"],
    [0.999, "99.9%"],
  ])("the share %s reads %s", (x, text) => {
    expect(percent(x)).toBe(text);
  });

  it("keeps small and large values whole, without float noise", () => {
    expect(significant(0.005)).toBe("0.005");
    expect(significant(0.1 + 0.2)).toBe("0.3");
    expect(significant(1871.5401)).toBe("1,871.54");
    expect(signedPercent(-0.00004)).toBe("−0.004%");
  });

  it("the CLI's plan names a tiny MDE and its effect size, not 0", () => {
    // planSampleSize({ metric: "mean", baseline: 1000, sd: 300, mde: 0.00004 }): d = 1000 · 0.00004 / 300 = 0.000133333
    const text = formatPlan(planSampleSize({ metric: "mean", baseline: 1000, sd: 300, mde: 0.00004 }));
    expect(text).toMatch(/MDE: +0\.004% relative \(1,000 -> 1,000\.04\)/);
    expect(text).toMatch(/Effect size: +0\.0001333 /);
  });
});

describe("the scorecard table names a quantile by its percentile", () => {
  it("0.999 reads P99.9 (was P100)", async () => {
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { createElement } = await import("react");
    const { ScorecardTable } = await import("@/components/experiments/ScorecardTable");
    const html = renderToStaticMarkup(
      createElement(ScorecardTable, {
        metrics: [
          {
            name: "Latency P99.9",
            role: "GUARDRAIL",
            kind: "QUANTILE",
            source: "LOG_FIELD",
            field: "latency_ms",
            quantile: 0.999,
            direction: "DECREASE",
            mde: 0.00005,
            mdeAbsolute: false,
          },
        ],
      }),
    );
    expect(html).toContain("quantile (P99.9)");
    expect(html).toContain("0.005% rel.");
  });
});
