// 500 malformed bodies for POST /api/v1/experiments, generated from a valid design with a seeded PRNG. Every answer
// must be a 400 naming the field at fault (413 for bodies over the 1 MB limit), never a 500, and nothing may be written.
import { beforeAll, describe, expect, it } from "vitest";
import { createExperimentSchema } from "@/lib/validation/experiments";
import { mulberry32 } from "@/lib/simulator/random";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";

const run = Date.now().toString(36);
const MARK = `fuzz${run}`;
const TOTAL = 500;
const CONCURRENCY = 8;

// The simulator's seeded PRNG, so a failing case can be regenerated.
const rand = mulberry32(20261125);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** A valid design using every optional field, so each can be broken. Its key and name carry MARK so it can be counted. */
function validBody(): any {
  return {
    key: `${MARK}-exp`,
    name: `Fuzz target ${MARK}`,
    description: "A design to break.",
    hypothesis: { change: "the system prompt", expectation: "helpfulness to rise by 5%", reason: "structure helps" },
    variableUnderTest: "SYSTEM_PROMPT",
    gatewayEnabled: false,
    variants: [
      {
        key: "A",
        name: "Generic",
        isControl: true,
        weight: 50,
        config: {
          model: "llama-4-scout",
          systemPrompt: "You are a helpful customer support agent.",
          systemPromptVersion: "v1",
          temperature: 0.7,
          topP: 0.9,
          maxTokens: 512,
          rag: { retriever: "bm25", topK: 5 },
          endpoint: "http://vllm:8000/v1",
          pricePer1MInput: 0.18,
        },
      },
      {
        key: "B",
        name: "Persona",
        isControl: false,
        weight: 50,
        config: {
          model: "llama-4-scout",
          systemPrompt: "You are a customer support expert for Acme Inc.",
          systemPromptVersion: "v2",
          temperature: 0.7,
          topP: 0.9,
          maxTokens: 512,
          rag: { retriever: "bm25", topK: 5 },
          endpoint: "http://vllm:8000/v1",
          pricePer1MInput: 0.18,
        },
      },
    ],
    metrics: [
      {
        name: "helpfulness",
        role: "GOAL",
        kind: "PROPORTION",
        source: "JUDGE_CRITERION",
        field: "helpfulness",
        direction: "INCREASE",
        mde: 0.05,
        mdeAbsolute: false,
        baseline: 0.76,
      },
      {
        name: "latency",
        role: "GUARDRAIL",
        kind: "QUANTILE",
        source: "LOG_FIELD",
        field: "latency_ms",
        quantile: 0.95,
        direction: "DECREASE",
        mde: 0.1,
        nonInferiorityMargin: 0.1,
        baselineSd: 100,
      },
    ],
    plan: { metricName: "helpfulness", dailyTraffic: 2000, alpha: 0.05, power: 0.8, correction: "none", effectSize: "guide" },
  };
}

type Path = (string | number)[];
interface Case {
  kind: string;
  path: string;
  /** Top segment of the field the answer must name; null for bodies that are not JSON. */
  field: string | null;
  status: 400 | 413;
  body: string;
}

/** Every path in a value (objects and arrays too, not only leaves). */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}
const parentOf = (body: any, path: Path) => path.slice(0, -1).reduce((o, k) => o[k], body);
const getAt = (body: any, path: Path) => path.reduce((o, k) => o[k], body);
function setAt(body: any, path: Path, value: unknown) {
  parentOf(body, path)[path.at(-1)!] = value;
}
/** An own enumerable key even for "__proto__" (plain assignment would set the prototype instead). */
function defineKey(obj: any, key: string, value: unknown) {
  Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
}
const top = (path: Path) => (path.length ? String(path[0]) : "(body)");
const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

const UNSAFE_IN_TEXT = ["\u0000", "\u0007", "\u001b", "\ud800", "\udfff"];
const UNSAFE_IN_NAMES = ["\u202e", "\u202d", "\u2066", "\u200b", "\u200f", "\ufeff", "\n"];
/** String fields that are names (one line, nothing invisible) rather than free text; the key fields refuse both by their pattern. */
const NAME_FIELDS = new Set(["key", "name", "model", "systemPromptVersion", "retriever", "reranker", "field", "metricName"]);
const ENUM_FIELDS = new Set(["variableUnderTest", "role", "kind", "source", "direction", "correction", "effectSize", "endpoint"]);
const WRONG_VALUES: unknown[] = [null, true, false, 0, -1, 3.5, "", "text", "50", [], [1, 2], {}, { a: 1 }];
const NAN_LIKE = ["NaN", "Infinity", "-Infinity", "1e999", "", " ", "0x10", "50%", "null", "undefined"];
const NUMBER_PATHS: Path[] = [
  ["variants", 0, "weight"],
  ["variants", 1, "weight"],
  ["metrics", 0, "mde"],
  ["metrics", 1, "quantile"],
  ["variants", 0, "config", "temperature"],
  ["variants", 1, "config", "maxTokens"],
  ["plan", "dailyTraffic"],
  ["plan", "alpha"],
  ["metrics", 0, "baseline"],
  ["variants", 0, "config", "rag", "topK"],
];
const OBJECT_PATHS: Path[] = [
  [],
  ["hypothesis"],
  ["plan"],
  ["variants", 0],
  ["variants", 1],
  ["variants", 0, "config"],
  ["variants", 1, "config", "rag"],
  ["metrics", 0],
  ["metrics", 1],
];
const REQUIRED_PATHS: Path[] = [
  ["key"],
  ["name"],
  ["variableUnderTest"],
  ["variants"],
  ["variants", 0, "key"],
  ["variants", 1, "name"],
  ["variants", 0, "weight"],
  ["metrics", 0, "name"],
  ["metrics", 0, "role"],
  ["metrics", 1, "kind"],
  ["metrics", 0, "direction"],
  ["metrics", 1, "mde"],
];
const LIMITED_STRINGS: [Path, number][] = [
  [["name"], 200],
  [["description"], 10_000],
  [["hypothesis", "change"], 2000],
  [["hypothesis", "reason"], 2000],
  [["variants", 0, "name"], 100],
  [["variants", 1, "config", "systemPrompt"], 100_000],
  [["variants", 0, "config", "model"], 200],
  [["variants", 0, "config", "systemPromptVersion"], 100],
  [["variants", 1, "config", "rag", "retriever"], 200],
  [["metrics", 0, "name"], 100],
  [["metrics", 1, "field"], 100],
  [["plan", "metricName"], 100],
  [["key"], 63],
];
const OUT_OF_RANGE: [Path, unknown][] = [
  [["variants", 0, "config", "temperature"], 2.5],
  [["variants", 0, "config", "topP"], 0],
  [["variants", 1, "config", "maxTokens"], 1.5],
  [["variants", 0, "config", "endpoint"], "ftp://example.com"],
  [["variants", 1, "config", "endpoint"], "not a url"],
  [["variants", 0, "config", "rag", "topK"], 0],
  [["variants", 0, "config", "pricePer1MInput"], -1],
  [["metrics", 0, "baseline"], 1.5],
  [["metrics", 0, "mde"], 0],
  [["metrics", 1, "quantile"], 1],
  [["metrics", 0, "nonInferiorityMargin"], -0.1],
  [["metrics", 1, "baselineSd"], 0],
  [["metrics", 0, "role"], "PRIMARY"],
  [["metrics", 0, "kind"], "median"],
  [["metrics", 1, "direction"], "UP"],
  [["metrics", 0, "source"], "LOGS"],
  [["metrics", 0, "field"], "a b;drop table"],
  [["plan", "alpha"], 1],
  [["plan", "power"], 0],
  [["plan", "correction"], "holm"],
  [["plan", "effectSize"], "cohens-d"],
  [["plan", "dailyTraffic"], -5],
  [["key"], "Has Caps"],
  [["key"], "-leading-dash"],
  [["variants", 0, "key"], "has space"],
  [["name"], "   "],
];

/** One malformed body of the given kind. */
function generate(kind: string): Case {
  const body = validBody();
  let path: Path = [];
  let status: 400 | 413 = 400;
  let raw: string | null = null;
  switch (kind) {
    case "missing": {
      path = pick(REQUIRED_PATHS);
      const parent = parentOf(body, path);
      delete parent[path.at(-1)!];
      break;
    }
    case "wrong-type": {
      path = pick(paths(body));
      const original = getAt(body, path);
      const wrong = WRONG_VALUES.filter((v) => typeOf(v) !== typeOf(original));
      setAt(body, path, structuredClone(pick(wrong)));
      break;
    }
    case "huge-string": {
      path = pick(LIMITED_STRINGS)[0];
      setAt(body, path, "x".repeat(5 * 1024 * 1024));
      status = 413;
      break;
    }
    case "long-string": {
      path = pick(LIMITED_STRINGS)[0];
      setAt(body, path, "y".repeat(int(100_001, 110_000)));
      break;
    }
    case "duplicate-variant-key": {
      path = ["variants"];
      body.variants[1].key = pick(["A", "a"]);
      break;
    }
    case "duplicate-metric-name": {
      path = ["metrics"];
      body.metrics.push({ ...body.metrics[0], name: pick(["helpfulness", "HELPFULNESS", "Helpfulness"]) });
      break;
    }
    case "weights": {
      path = ["variants"];
      const a = int(0, 100);
      let b = int(0, 100);
      if (a + b === 100) b = (b + 1) % 101;
      body.variants[0].weight = a;
      body.variants[1].weight = b;
      break;
    }
    case "two-controls": {
      path = ["variants"];
      body.variants[1].isControl = true;
      break;
    }
    case "no-control": {
      path = ["variants"];
      body.variants[0].isControl = false;
      break;
    }
    case "unknown-variable": {
      path = ["variableUnderTest"];
      body.variableUnderTest = pick(["PROMPT", "system_prompt", "", "MODEL ", "TEMPERATURE", "<script>"]);
      break;
    }
    case "variant-count": {
      path = ["variants"];
      const n = pick([0, 1, 9, 12]);
      body.variants = Array.from({ length: n }, (_, i) => ({
        key: `v${i}`,
        name: `V${i}`,
        isControl: i === 0,
        weight: n ? 100 / n : 0,
        config: { model: "m" },
      }));
      break;
    }
    case "negative-weight": {
      path = ["variants", 0, "weight"];
      const w = -int(1, 50);
      body.variants[0].weight = w;
      body.variants[1].weight = 100 - w;
      break;
    }
    case "nan-like": {
      path = pick(NUMBER_PATHS);
      setAt(body, path, pick(NAN_LIKE));
      break;
    }
    case "raw-overflow": {
      // 1e999 parses to Infinity: only a raw body can carry it.
      path = pick(NUMBER_PATHS);
      setAt(body, path, "__RAW__");
      raw = JSON.stringify(body).replace('"__RAW__"', pick(["1e999", "-1e999"]));
      break;
    }
    case "out-of-range": {
      const [p, v] = pick(OUT_OF_RANGE);
      path = p;
      setAt(body, path, v);
      break;
    }
    case "nested-garbage": {
      let garbage: unknown = pick([1, "x", null, true]);
      for (let d = int(5, 200); d > 0; d--) garbage = rand() < 0.5 ? [garbage] : { g: garbage };
      path = pick(paths(body).filter((p) => typeOf(getAt(body, p)) !== "object" || rand() < 0.3));
      setAt(body, path, garbage);
      break;
    }
    case "unknown-key": {
      const at = pick(OBJECT_PATHS);
      const key = pick(["extra", "isAdmin", "ownerId", "status", "hashingSalt", "id", "weightPercent"]);
      (at.length ? getAt(body, at) : body)[key] = pick([1, "x", true, {}]);
      path = [...at, key];
      break;
    }
    case "prototype-pollution": {
      const at = pick(OBJECT_PATHS);
      const key = pick(["__proto__", "constructor", "prototype"]);
      defineKey(at.length ? getAt(body, at) : body, key, { polluted: true, isAdmin: true, toString: "x" });
      path = [...at, key];
      break;
    }
    case "not-an-object": {
      path = [];
      raw = pick(["[]", '"text"', "42", "null", "true", `[${JSON.stringify(validBody())}]`]);
      break;
    }
    case "unsafe-text": {
      // NUL, another control character or half a surrogate pair in any text field; in a name, also an invisible or
      // direction-changing character (U+202E reversed the key printed beside a name in the list).
      path = pick(paths(body).filter((p) => typeof getAt(body, p) === "string" && !ENUM_FIELDS.has(String(p.at(-1)))));
      const isName = NAME_FIELDS.has(String(path.at(-1)));
      const bad = pick([...UNSAFE_IN_TEXT, ...(isName ? UNSAFE_IN_NAMES : [])]);
      const original = String(getAt(body, path));
      setAt(body, path, `${original.slice(0, 1)}${bad}${original.slice(1)}`);
      // JSON.stringify writes a lone surrogate as the escape \udXXX, which the server's JSON.parse turns back into one.
      break;
    }
    case "not-json": {
      raw = pick(["{", "{'key': 'x'}", '{"key": "x",}', "undefined", "\u0000", '{"a":1}{"b":2}']);
      return { kind, path: "(raw)", field: null, status: 400, body: raw };
    }
  }
  return { kind, path: path.join(".") || "(body)", field: top(path), status, body: raw ?? JSON.stringify(body) };
}

const KINDS = [
  "missing",
  "wrong-type",
  "wrong-type",
  "wrong-type",
  "long-string",
  "duplicate-variant-key",
  "duplicate-metric-name",
  "weights",
  "two-controls",
  "no-control",
  "unknown-variable",
  "variant-count",
  "negative-weight",
  "nan-like",
  "raw-overflow",
  "out-of-range",
  "out-of-range",
  "nested-garbage",
  "unknown-key",
  "prototype-pollution",
  "not-an-object",
  "not-json",
  "unsafe-text",
  "unsafe-text",
];

function cases(): Case[] {
  return Array.from({ length: TOTAL }, (_, i) => generate(i % 50 === 0 ? "huge-string" : KINDS[i % KINDS.length]));
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

describe("POST /api/v1/experiments with 500 malformed bodies", () => {
  let pmKey: string;
  const generated = cases();
  const count = async () => (await api(`/api/v1/experiments?archived=true&q=${MARK}`, { key: pmKey })).json.experiments.length;

  beforeAll(async () => {
    pmKey = (await demoCredentials()).PM.key;
  });

  it("the generator is sound: the base design is valid and every generated body is not", () => {
    expect(createExperimentSchema.safeParse(validBody()).success).toBe(true);
    expect(generated).toHaveLength(TOTAL);
    for (const c of generated) {
      if (c.status === 413 || c.field === null) continue;
      expect(createExperimentSchema.safeParse(JSON.parse(c.body)).success, `${c.kind} ${c.path}`).toBe(false);
    }
    expect(new Set(generated.map((c) => c.kind)).size).toBe(new Set(KINDS).size + 1); // every kind, plus huge-string
  });

  it("answers each with 400 naming the field (413 over 1 MB), never 500, and writes nothing", { timeout: 120_000 }, async () => {
    expect(await count()).toBe(0);
    const started = Date.now();
    const failures: string[] = [];
    await pool(generated, CONCURRENCY, async (c, i) => {
      const res = await api("/api/v1/experiments", { key: pmKey, rawBody: c.body, headers: { "content-type": "application/json" } });
      const where = `#${i} ${c.kind} at ${c.path} -> ${res.status} ${res.text.slice(0, 300)}`;
      if (res.status !== c.status) return failures.push(where);
      if (c.status === 413) {
        if (res.json?.error?.code !== "PAYLOAD_TOO_LARGE") failures.push(where);
        return;
      }
      if (c.field === null) {
        if (res.json?.error?.code !== "BAD_JSON") failures.push(where);
        return;
      }
      const fields: string[] = (res.json?.error?.details?.issues ?? []).map((issue: { field: string }) => issue.field.split(".")[0]);
      if (res.json?.error?.code !== "VALIDATION" || !fields.includes(c.field) || !res.json.error.message.startsWith("Invalid input: "))
        failures.push(where);
      if (/\n\s+at |node_modules/.test(res.text)) failures.push(`${where} (stack trace)`);
    });
    const seconds = (Date.now() - started) / 1000;
    expect(failures, failures.slice(0, 10).join("\n")).toEqual([]);
    expect(seconds).toBeLessThan(60);
    expect(await count()).toBe(0);
    // The server is unharmed (no polluted prototypes, no stuck handlers).
    const after = await api("/api/v1/experiments?q=support-persona-structured", { key: pmKey });
    expect(after.status).toBe(200);
    expect(after.json.experiments[0]).not.toHaveProperty("polluted");
  });
});

describe("every text field of the design, with each character no field (or no name) may hold", () => {
  let pmKey: string;
  beforeAll(async () => {
    pmKey = (await demoCredentials()).PM.key;
  });

  it("answers 400 naming the field, never 500, and writes nothing", { timeout: 120_000 }, async () => {
    const base = validBody();
    const stringPaths = paths(base).filter((p) => typeof getAt(base, p) === "string" && !ENUM_FIELDS.has(String(p.at(-1))));
    expect(stringPaths.length).toBeGreaterThanOrEqual(20);
    const cases = stringPaths.flatMap((path) =>
      [...UNSAFE_IN_TEXT, ...(NAME_FIELDS.has(String(path.at(-1))) ? UNSAFE_IN_NAMES : [])].map((bad) => {
        const body = validBody();
        setAt(body, path, `ok${bad}ok`);
        return { field: path.join("."), bad, body: JSON.stringify(body) };
      }),
    );
    const failures: string[] = [];
    await pool(cases, CONCURRENCY, async (c) => {
      const res = await api("/api/v1/experiments", { key: pmKey, rawBody: c.body, headers: { "content-type": "application/json" } });
      const fields: string[] = (res.json?.error?.details?.issues ?? []).map((issue: { field: string }) => issue.field);
      if (res.status !== 400 || !fields.includes(c.field) || !res.json.error.message.includes(c.field))
        failures.push(`${c.field} with ${JSON.stringify(c.bad)} -> ${res.status} ${res.text.slice(0, 200)}`);
    });
    expect(failures, failures.slice(0, 10).join("\n")).toEqual([]);
    expect((await api(`/api/v1/experiments?archived=true&q=${MARK}`, { key: pmKey })).json.experiments).toEqual([]);
  });
});
