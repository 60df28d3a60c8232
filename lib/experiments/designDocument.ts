// The experiment design as one Markdown document (the guide: "at the end of this stage, you should have a complete
// experimental design document"). Pure: the detail in, text out.
import { variableLabels, type MetricInput, type VariantConfig } from "@/lib/validation/experiments";
import { CONFIG_FIELDS, configValue } from "./singleVariable";
import type { ExperimentDetail } from "./types";
import { formatDateTime } from "@/lib/format/dateTime";
import { planIsFixed } from "./editRules";
import { fullWeeksText } from "@/lib/planner/duration";
import { notSizedText } from "./plan";
import { percent, quantileLabel } from "@/lib/format/number";

// Characters that let text become markup in Markdown (CommonMark, GFM): raw HTML and entities, code, links and images,
// table cells, emphasis and strikethrough. Backslash-escaped, each stays a literal character. An underscore inside a word
// (latency_ms) is never emphasis, so it is left as typed.
const INLINE_SPECIAL = /[\\`<>[\]|&*~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;
// What makes a line start a block: an ATX heading, a list item, a thematic break or setext underline (quotes, fences and
// the other list markers are already escaped as inline specials).
const BLOCK_START = /^(?:#+(?=\s|$)|[-+](?=\s|$)|[-=]+$)/;
const ORDERED_ITEM = /^(\d{1,9})([.)])(?=\s|$)/;

/** User text as literal Markdown on one line: specials escaped, line breaks and other whitespace runs folded into one space. */
function inline(value: unknown): string {
  return String(value)
    .replace(/\s+/g, " ")
    .trim()
    .replace(INLINE_SPECIAL, "\\$&")
    .replace(BLOCK_START, "\\$&")
    .replace(ORDERED_ITEM, "$1\\$2");
}

/** Multi-line user text (a description) as literal Markdown paragraphs: every line escaped as inline text, blank lines kept. */
function paragraphs(value: string): string {
  return value
    .split(/\r?\n/)
    .map((line) => (line.trim() ? inline(line) : ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Escapes a value for a Markdown table cell. */
function cell(value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  return inline(value);
}

/** A fence longer than any backtick run inside the text, so a prompt cannot close its own block. */
function fenced(text: string, info = "text"): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${text.replace(/\n$/, "")}\n${fence}`;
}

function table(header: string[], rows: unknown[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
}

const pct = percent;

function mdeText(m: MetricInput): string {
  return m.mdeAbsolute ? `${m.mde} (absolute)` : `${pct(m.mde)} (relative)`;
}

function configLines(config: VariantConfig): string[] {
  const lines: string[] = [];
  for (const field of CONFIG_FIELDS) {
    if (field === "systemPrompt" || field === "toolUsePrompt" || field === "systemPromptVersion") continue;
    const value = configValue(config, field);
    if (value !== undefined) lines.push(`- ${field}: ${cell(value)}`);
  }
  return lines;
}

/** The whole design as Markdown: hypothesis, variable, variants and their configurations, single-variable check, scorecard and plan. */
export function experimentDesignMarkdown(detail: ExperimentDetail): string {
  const out: string[] = [];
  out.push(`# ${inline(detail.name)}`, "");
  out.push(`- Key: \`${detail.key}\``);
  out.push(`- Status: ${detail.status}${detail.archivedAt ? " (archived)" : ""}`);
  if (detail.owner) out.push(`- Owner: ${inline(detail.owner.name)}`);
  if (detail.startedAt) out.push(`- Started: ${formatDateTime(detail.startedAt)}`);
  if (detail.stoppedAt) out.push(`- Stopped: ${formatDateTime(detail.stoppedAt)}`);
  out.push(`- Variable under test: ${variableLabels[detail.variableUnderTest]} (${detail.variableUnderTest})`);
  out.push(`- Gateway: ${detail.gatewayEnabled ? "on (Assay's gateway serves the variants)" : "off"}`);
  out.push("");

  out.push("## Hypothesis", "", detail.hypothesisSentence ? inline(detail.hypothesisSentence) : "_No hypothesis written yet._", "");
  if (detail.description.trim()) out.push(paragraphs(detail.description), "");

  out.push("## Variants", "");
  out.push(
    table(
      ["Key", "Name", "Control", "Weight", "Model", "Prompt version", "Config version"],
      detail.variants.map((v) => [
        v.key,
        v.name,
        v.isControl ? "yes" : "no",
        `${v.weight}%`,
        v.config.model,
        v.config.systemPromptVersion,
        `v${v.configVersion}`,
      ]),
    ),
    "",
  );
  for (const v of detail.variants) {
    out.push(`### Variant ${inline(v.key)}: ${inline(v.name)}${v.isControl ? " (control)" : ""}`, "");
    out.push(`Configuration version ${v.configVersion}.`, "");
    const lines = configLines(v.config);
    if (lines.length) out.push(...lines, "");
    if (v.config.systemPrompt !== undefined) {
      out.push(
        `System prompt${v.config.systemPromptVersion ? ` (${inline(v.config.systemPromptVersion)})` : ""}:`,
        "",
        fenced(v.config.systemPrompt),
        "",
      );
    }
    if (v.config.toolUsePrompt !== undefined) out.push("Tool-use prompt:", "", fenced(v.config.toolUsePrompt), "");
  }

  out.push("## Single-variable check", "");
  if (detail.differences.length === 0) out.push("The variants do not differ in any configuration field.");
  else {
    out.push(
      table(
        ["Field", ...detail.variants.map((v) => v.key), "Declared"],
        detail.differences.map((d) => [
          d.field,
          ...detail.variants.map((v) => JSON.stringify(d.values[v.key] ?? null).slice(0, 80)),
          d.declared ? "yes" : "NO",
        ]),
      ),
      "",
    );
    out.push(
      detail.undeclared.length === 0
        ? `Clean: the variants differ only in the declared variable (${detail.variableUnderTest}).`
        : `Not clean: the variants also differ in ${detail.undeclared.join(", ")}, beyond the declared variable (${detail.variableUnderTest}).`,
    );
  }
  if (detail.singleVariableReason) out.push("", `Reason given when starting: ${inline(detail.singleVariableReason)}`);
  out.push("");

  out.push("## Scorecard", "");
  if (detail.metrics.length === 0) out.push("_No metrics defined yet._");
  else {
    out.push(
      table(
        ["Metric", "Role", "Kind", "Source", "Direction", "MDE", "Non-inferiority margin", "Baseline"],
        detail.metrics.map((m) => [
          m.name,
          m.role,
          m.kind === "QUANTILE" ? `QUANTILE (${quantileLabel(m.quantile ?? 0.95)})` : m.kind,
          `${m.source}${m.field ? `: ${m.field}` : ""}`,
          m.direction,
          mdeText(m),
          m.nonInferiorityMargin,
          m.baseline === undefined ? undefined : `${m.baseline}${m.baselineSd !== undefined ? ` (sd ${m.baselineSd})` : ""}`,
        ]),
      ),
    );
  }
  out.push("");

  out.push("## Plan", "");
  const plan = detail.plan;
  if (!plan) out.push("_No goal metric to size yet._");
  else if ("error" in plan) out.push(`Not computed: ${inline(plan.error)}`);
  else {
    out.push(
      table(
        ["Planned metric", "Baseline", "MDE", "Alpha", "Power", "Variants", "Per variant", "Total", "Daily traffic", "Days"],
        [
          [
            plan.metricName,
            `${plan.baseline}${plan.sd !== undefined ? ` (sd ${plan.sd})` : ""} (${plan.baselineSource === "typed" ? "typed" : "from the control's history"})`,
            plan.mdeAbsolute ? `${plan.mde} (absolute)` : `${pct(plan.mde)} (relative)`,
            plan.alpha,
            plan.power,
            plan.variants,
            plan.perVariant.toLocaleString("en-US"),
            plan.total.toLocaleString("en-US"),
            plan.dailyTraffic?.toLocaleString("en-US"),
            plan.days,
          ],
        ],
      ),
      "",
    );
    out.push(`- Traffic split: ${plan.arms.map((a) => `${a.key} ${a.weight}% (${a.n.toLocaleString("en-US")})`).join(", ")}`);
    if (plan.excludedVariants.length) out.push(`- Not arms (weight 0): ${plan.excludedVariants.join(", ")}`);
    out.push(`- The sample counts: ${plan.unit}${plan.interactionsPerUser !== undefined ? ` (${plan.interactionsPerUser} per user)` : ""}`);
    const d = plan.duration;
    if (d.days !== null) {
      out.push(
        `- Duration: ${d.days} ${d.days === 1 ? "day" : "days"}${!planIsFixed(detail.status) && d.fullWeekDays !== null && d.fullWeekDays !== d.days ? `, run ${fullWeeksText(d.fullWeekDays)}` : ""}, set by ${inline(d.metricName)} (the largest requirement)`,
      );
    }
    // Once data collection has ended the plan is fixed: no advice on how long to run.
    for (const text of [...(planIsFixed(detail.status) ? [] : plan.advice), ...plan.warnings]) out.push(`- ${inline(text)}`);
    out.push("");
    if (plan.requirements.length > 1) {
      out.push(
        table(
          ["Metric", "Role", "Sized to", "Per variant", "Total", "Days"],
          plan.requirements.map((r) =>
            r.sized
              ? [
                  r.metricName,
                  r.role,
                  r.test === "non-inferiority" ? "non-inferiority (one-sided)" : "two-sided",
                  plan.unequalSplit ? r.arms.map((a) => a.n.toLocaleString("en-US")).join(" / ") : r.perVariant.toLocaleString("en-US"),
                  r.total.toLocaleString("en-US"),
                  r.days,
                ]
              : [r.metricName, r.role, `not sized: ${notSizedText(r, detail.status !== "DRAFT")}`, undefined, undefined, undefined],
          ),
        ),
        "",
      );
    }
    out.push(`How n is computed: ${inline(plan.explanation)}`, "", `Method: ${plan.method}`);
  }
  out.push("");
  return out.join("\n");
}
