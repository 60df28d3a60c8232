// The experiment REST API against the running app and a real database: create, edit, start, stop, clone, archive,
// the design document, list filters, the role rules of editing and the audit trail.
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { GUIDE_PROMPT_A, GUIDE_PROMPT_B } from "@/lib/demo/experiments";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

const run = Date.now().toString(36);
const keyFor = (name: string) => `it-${run}-${name}`;

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const as = (role: keyof typeof creds) => ({ key: creds[role].key });
const keyLabel = (role: keyof typeof creds) => `${creds[role].email} (API key ${creds[role].key.slice(0, 14)})`;

async function create(body: unknown, role: keyof typeof creds = "PM") {
  const res = await api("/api/v1/experiments", { ...as(role), body });
  expect(res.status, res.text).toBe(201);
  return res.json.experiment;
}
const start = (key: string, body?: unknown, role: keyof typeof creds = "PM") =>
  api(`/api/v1/experiments/${key}/start`, { method: "POST", ...as(role), ...(body ? { body } : {}) });
const patch = (key: string, body: unknown, role: keyof typeof creds = "PM") =>
  api(`/api/v1/experiments/${key}`, { method: "PATCH", ...as(role), body });
const detail = async (key: string) => (await api(`/api/v1/experiments/${key}`, as("REVIEWER"))).json.experiment;
/** The stored hashing salt, read straight from the database (the API never returns it). */
async function saltOf(key: string): Promise<string> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    return (await client.query(`SELECT "hashingSalt" FROM "Experiment" WHERE key = $1`, [key])).rows[0].hashingSalt;
  } finally {
    await client.end();
  }
}

/** Sets an experiment's status straight in the database (DECIDED has no API yet: the review flow comes later). */
async function setStatus(key: string, status: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    await client.query(`UPDATE "Experiment" SET status = $2 WHERE key = $1`, [key, status]);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  creds = await demoCredentials();
});

describe("create and start", () => {
  it("the API reference's minimal body is a DRAFT that can be started", async () => {
    const key = keyFor("minimal");
    const created = await create(minimalExperimentBody(key));
    expect(created).toMatchObject({
      key,
      status: "DRAFT",
      variableUnderTest: "SYSTEM_PROMPT",
      gatewayEnabled: false,
      undeclared: [],
      startProblems: [],
      needsSingleVariableReason: false,
    });
    expect(created.owner).toMatchObject({ name: "Priya PM", email: "pm@assay.local" });
    // The assignment salt stays on the server: no role ever receives it.
    expect(created).not.toHaveProperty("hashingSalt");
    expect(JSON.stringify(created)).not.toContain(await saltOf(key));
    expect(await saltOf(key)).toMatch(/^[0-9a-f]{32}$/);
    expect(created.variants.map((v: any) => [v.key, v.isControl, v.weight, v.configVersion])).toEqual([
      ["A", true, 50, 1],
      ["B", false, 50, 1],
    ]);
    expect(created.differences).toEqual([
      {
        field: "systemPrompt",
        values: { A: "You are a helpful customer support agent.", B: "You are a customer support expert for Acme Inc." },
        declared: true,
      },
    ]);
    expect(created.metrics[0]).toMatchObject({ name: "helpfulness", source: "LOG_FIELD", field: "", mdeAbsolute: false });
    expect(created.plan).toEqual({ error: expect.stringContaining("Type a baseline for helpfulness") });

    const started = await start(key);
    expect(started.status, started.text).toBe(200);
    expect(started.json.experiment.status).toBe("RUNNING");
    expect(Date.parse(started.json.experiment.startedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(started.json.experiment.audit.map((e: any) => [e.action, e.actorLabel])).toEqual([
      ["experiment.created", keyLabel("PM")],
      ["experiment.started", keyLabel("PM")],
    ]);
    const again = await start(key);
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain("Only a draft can be started");
  });

  it("a taken key answers 409 naming the key", async () => {
    const res = await api("/api/v1/experiments", { ...as("PM"), body: minimalExperimentBody(keyFor("minimal")) });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain(`"${keyFor("minimal")}"`);
  });

  it("an unknown key answers 404 naming the key", async () => {
    const res = await api("/api/v1/experiments/no-such-experiment", as("PM"));
    expect(res.status).toBe(404);
    expect(res.json.error.message).toContain('"no-such-experiment"');
  });

  it("refuses to start without a GOAL metric", async () => {
    const key = keyFor("no-goal");
    const body = {
      ...minimalExperimentBody(key),
      metrics: [{ name: "latency", role: "GUARDRAIL", kind: "QUANTILE", field: "latency_ms", direction: "DECREASE", mde: 0.1 }],
    };
    expect((await create(body)).startProblems).toEqual(["Add at least one GOAL metric: the outcome the hypothesis expects to move."]);
    const res = await start(key);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION");
    expect(res.json.error.message).toContain("GOAL metric");
    expect(res.json.error.details.problems).toHaveLength(1);
    expect((await detail(key)).status).toBe("DRAFT");
  });

  it("refuses to start while a variant has no model", async () => {
    const key = keyFor("no-model");
    const body = minimalExperimentBody(key);
    delete (body.variants[1].config as any).model;
    await create(body);
    const res = await start(key);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("Set a model for variant B");
  });

  it("refuses to start a gateway experiment while a variant has no endpoint", async () => {
    const key = keyFor("gateway");
    const body: any = { ...minimalExperimentBody(key), gatewayEnabled: true };
    body.variants[0].config.endpoint = "http://vllm:8000/v1";
    await create(body);
    const res = await start(key);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("set an endpoint for variant B");
    // With the endpoint set (by the engineer, who owns endpoints) it starts.
    body.variants[1].config.endpoint = "http://vllm:8001/v1";
    expect((await patch(key, { variants: body.variants }, "ENGINEER")).status).toBe(200);
    expect((await start(key)).status).toBe(200);
  });

  it("refuses to start until the hypothesis has all three parts (whitespace is not a part), naming the missing ones", async () => {
    const key = keyFor("no-hypothesis");
    const created = await create({
      ...minimalExperimentBody(key),
      hypothesis: { change: "the system prompt", expectation: "  \n ", reason: "" },
    });
    const problem = "Complete the hypothesis: write what you expect to happen (“we expect …”) and why you expect it (“because …”).";
    expect(created.startProblems).toEqual([problem]);
    const res = await start(key);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "VALIDATION", details: { problems: [problem] } });
    expect(res.json.error.message).toBe(`Cannot start "${key}" yet: ${problem}`);
    const after = await detail(key);
    expect(after.status).toBe("DRAFT");
    expect(after.audit.map((e: any) => e.action)).toEqual(["experiment.created"]);

    // Written in full, it starts.
    expect(
      (await patch(key, { hypothesis: { change: "the system prompt", expectation: "helpfulness to rise by 5%", reason: "focus" } })).status,
    ).toBe(200);
    expect((await start(key)).status).toBe(200);
  });

  it("refuses to start variants whose configurations are the same once canonicalised (key order, whitespace, empty values)", async () => {
    const key = keyFor("identical");
    const body: any = minimalExperimentBody(key);
    body.variants[0].config = { model: "llama-4-scout", systemPrompt: "You are a helpful customer support agent.", rag: {} };
    body.variants[1].config = { systemPrompt: "You are a helpful customer support agent.\n", model: "llama-4-scout", toolUsePrompt: "" };
    const created = await create(body);
    const problem =
      "Variants A and B have the same configuration, so the test could only measure noise: change the system prompt (the variable under test) so each variant differs.";
    expect(created.startProblems).toEqual([problem]);
    const res = await start(key);
    expect(res.status).toBe(400);
    expect(res.json.error.details.problems).toEqual([problem]);
    expect((await detail(key)).status).toBe("DRAFT");
  });

  it("an undeclared difference needs a written reason, which is kept in the experiment and its audit trail", async () => {
    const key = keyFor("undeclared");
    const body: any = minimalExperimentBody(key);
    body.variants[1].config.temperature = 0.2;
    const created = await create(body);
    expect(created).toMatchObject({ undeclared: ["temperature"], needsSingleVariableReason: true, startProblems: [] });

    const missing = await start(key);
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toContain("singleVariableReason");
    expect(missing.json.error.message).toContain("temperature");
    expect(missing.json.error.details).toMatchObject({ field: "singleVariableReason", undeclared: ["temperature"] });
    const tooShort = await start(key, { singleVariableReason: "because" });
    expect(tooShort.status).toBe(400);
    expect(tooShort.json.error.message).toContain("singleVariableReason");

    const reason = "Temperature 0.2 is part of the persona's recipe; we test them as one package.";
    const ok = await start(key, { singleVariableReason: reason });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.experiment).toMatchObject({ status: "RUNNING", singleVariableReason: reason });
    const event = ok.json.experiment.audit.find((e: any) => e.action === "experiment.started");
    expect(event.details).toEqual({ undeclared: ["temperature"], singleVariableReason: reason });
  });
});

describe("editing", () => {
  it("a PM edits anything in DRAFT; only a changed config gets a new version; the audit lists what changed", async () => {
    const key = keyFor("pm-edit");
    const body: any = minimalExperimentBody(key);
    await create(body);
    body.variants[1].config.systemPrompt = GUIDE_PROMPT_B.repeat(3);
    body.variants[0].weight = 40;
    body.variants[1].weight = 60;
    const res = await patch(key, {
      name: "Renamed",
      hypothesis: { change: "the prompt", expectation: "more help", reason: "structure" },
      variants: body.variants,
      plan: { dailyTraffic: 1000 },
    });
    expect(res.status, res.text).toBe(200);
    const e = res.json.experiment;
    expect(e.name).toBe("Renamed");
    expect(e.hypothesisSentence).toBe("If we change the prompt, we expect more help, because structure.");
    expect(e.variants.map((v: any) => [v.key, v.weight, v.configVersion])).toEqual([
      ["A", 40, 1],
      ["B", 60, 2],
    ]);
    expect(e.planSettings).toMatchObject({ dailyTraffic: 1000, alpha: 0.05, power: 0.8 });
    const updated = e.audit.at(-1);
    expect(updated.action).toBe("experiment.updated");
    expect(updated.details.changed).toEqual(["name", "hypothesis", "variants", "plan"]);
    expect(updated.details.fields.name).toEqual({ before: "Support persona", after: "Renamed" });
    const change = updated.details.variants.find((v: any) => v.key === "B").changes[0];
    expect(change.field).toBe("systemPrompt");
    expect(change.before).toBe("You are a customer support expert for Acme Inc.");
    expect(change.after.length).toBeLessThan(260); // the long prompt is cut
    expect(change.after).toContain("characters)");

    // The key may change while DRAFT; the old key is gone.
    const renamed = await patch(key, { key: `${key}-2` });
    expect(renamed.status).toBe(200);
    expect((await api(`/api/v1/experiments/${key}`, as("PM"))).status).toBe(404);
  });

  it("once started the key is fixed and variants are locked; name, description and plan stay editable", async () => {
    const key = keyFor("locked");
    const body: any = minimalExperimentBody(key);
    await create(body);
    expect((await start(key)).status).toBe(200);

    const rekey = await patch(key, { key: `${key}-x` });
    expect(rekey.status).toBe(409);
    expect(rekey.json.error.message).toContain("key is fixed once the experiment has started");

    body.variants[0].weight = 90;
    body.variants[1].weight = 10;
    const weights = await patch(key, { variants: body.variants });
    expect(weights.status).toBe(409);
    expect(weights.json.error.message).toBe(
      "Variants are locked once the experiment has started; weights change only through the rollout.",
    );

    const metrics = await patch(key, { metrics: [] });
    expect(metrics.status).toBe(409);
    expect(metrics.json.error.message).toBe(
      "Once an experiment has started only its name, description and plan can change; metrics is fixed.",
    );

    const ok = await patch(key, { name: "Still editable", description: "notes", plan: { dailyTraffic: 500 } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.experiment).toMatchObject({ name: "Still editable", description: "notes", status: "RUNNING" });
    // Sending the unchanged design back is not a change.
    expect((await patch(key, { variants: minimalExperimentBody(key).variants, key })).status).toBe(200);
  });

  it("once stopped or decided the plan is fixed too (409 naming plan, nothing written); name and description still change", async () => {
    const key = keyFor("plan-fixed");
    await create({ ...minimalExperimentBody(key), plan: { dailyTraffic: 2000 } });
    expect((await start(key)).status).toBe(200);
    // While running the plan may be corrected.
    expect((await patch(key, { plan: { dailyTraffic: 3000 } })).status).toBe(200);
    expect((await api(`/api/v1/experiments/${key}/stop`, { method: "POST", ...as("PM"), body: {} })).status).toBe(200);

    for (const status of ["STOPPED", "DECIDED"]) {
      if (status === "DECIDED") await setStatus(key, "DECIDED");
      const before = await detail(key);
      const res = await patch(key, { plan: { dailyTraffic: 500, alpha: 0.1 } });
      expect(res.status, res.text).toBe(409);
      expect(res.json.error).toMatchObject({ code: "CONFLICT", details: { fields: ["plan"] } });
      expect(res.json.error.message).toBe(
        `The plan is fixed once data collection has ended ("${key}" is ${status}): the analysis tests what was planned. Clone the experiment to plan a new test.`,
      );
      const after = await detail(key);
      expect(after.planSettings).toEqual(before.planSettings);
      expect(after.planSettings).toMatchObject({ dailyTraffic: 3000 });
      expect(after.audit).toHaveLength(before.audit.length);
      // Any other fixed field is refused with what still can change: not the plan any more.
      const metrics = await patch(key, { metrics: [] });
      expect(metrics.status).toBe(409);
      expect(metrics.json.error).toMatchObject({ code: "CONFLICT", details: { fields: ["metrics"] } });
      expect(metrics.json.error.message).toBe("Once data collection has ended only its name and description can change; metrics is fixed.");
      // The same plan sent back is not a change; name and description still are.
      expect((await patch(key, { plan: before.planSettings })).status).toBe(200);
      const renamed = await patch(key, { name: `Renamed while ${status}`, description: "kept for the record" });
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.json.experiment).toMatchObject({ name: `Renamed while ${status}`, status });
    }
  });

  it("an ENGINEER may change a variant's config in DRAFT (configVersion + 1) but nothing else", async () => {
    const key = keyFor("engineer");
    const body: any = minimalExperimentBody(key);
    await create(body);
    body.variants[1].config = { ...body.variants[1].config, endpoint: "http://vllm:8000/v1", systemPromptVersion: "v2" };
    const ok = await patch(key, { variants: body.variants }, "ENGINEER");
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.experiment.variants.map((v: any) => v.configVersion)).toEqual([1, 2]);
    const event = ok.json.experiment.audit.at(-1);
    expect(event).toMatchObject({ action: "experiment.updated", actorLabel: keyLabel("ENGINEER") });
    expect(event.details.variants).toEqual([
      {
        key: "B",
        configVersion: 2,
        changes: [
          { field: "endpoint", before: null, after: "http://vllm:8000/v1" },
          { field: "systemPromptVersion", before: null, after: "v2" },
        ],
      },
    ]);

    const weights = structuredClone(body.variants);
    weights[0].weight = 30;
    weights[1].weight = 70;
    const w = await patch(key, { variants: weights }, "ENGINEER");
    expect(w.status).toBe(403);
    expect(w.json.error.message).toContain("variants.A.weight");
    expect(w.json.error.details.fields).toEqual(["variants.A.weight", "variants.B.weight"]);

    const renamed = structuredClone(body.variants);
    renamed[0].name = "Other";
    expect((await patch(key, { variants: renamed }, "ENGINEER")).json.error.message).toContain("variants.A.name");
    const top = await patch(key, { name: "Engineer's name", metrics: [] }, "ENGINEER");
    expect(top.status).toBe(403);
    expect(top.json.error.details.fields).toEqual(["name", "metrics"]);
    expect((await detail(key)).variants.map((v: any) => v.weight)).toEqual([50, 50]);

    // Once running, variants are locked for the engineer too.
    expect((await start(key)).status).toBe(200);
    const cfg = structuredClone(body.variants);
    cfg[1].config.systemPromptVersion = "v3";
    expect((await patch(key, { variants: cfg }, "ENGINEER")).status).toBe(409);
  });

  it("a REVIEWER reads but cannot create, edit or run experiments", async () => {
    const key = keyFor("reviewer");
    await create(minimalExperimentBody(key));
    expect((await api(`/api/v1/experiments/${key}`, as("REVIEWER"))).status).toBe(200);
    expect((await patch(key, { name: "x" }, "REVIEWER")).status).toBe(403);
    expect((await api("/api/v1/experiments", { ...as("REVIEWER"), body: minimalExperimentBody(keyFor("reviewer-2")) })).status).toBe(403);
    expect((await start(key, undefined, "REVIEWER")).status).toBe(403);
    expect((await api(`/api/v1/experiments/${key}/clone`, { ...as("REVIEWER"), body: { key: keyFor("reviewer-3") } })).status).toBe(403);
    expect((await detail(key)).status).toBe("DRAFT");
  });
});

describe("lifecycle", () => {
  it("stop, clone, archive", async () => {
    const key = keyFor("life");
    const body: any = minimalExperimentBody(key);
    body.plan = { dailyTraffic: 2000 };
    body.hypothesis = { change: "the prompt", expectation: "more help", reason: "structure" };
    const created = await create(body);
    expect((await start(key)).status).toBe(200);

    // Not while running.
    const early = await api(`/api/v1/experiments/${key}/archive`, { ...as("PM"), body: { archived: true } });
    expect(early.status).toBe(409);
    expect(early.json.error.message).toContain("stop it first");

    // The session's actor label is the email.
    const stopped = await api(`/api/v1/experiments/${key}/stop`, { cookie: creds.PM.cookie, body: { reason: "enough data" } });
    expect(stopped.status, stopped.text).toBe(200);
    expect(stopped.json.experiment.status).toBe("STOPPED");
    expect(stopped.json.experiment.stoppedAt).toBeTruthy();
    expect(stopped.json.experiment.audit.at(-1)).toMatchObject({
      action: "experiment.stopped",
      actorLabel: "pm@assay.local",
      details: { reason: "enough data" },
    });
    expect((await api(`/api/v1/experiments/${key}/stop`, { method: "POST", ...as("PM") })).status).toBe(409);

    const cloned = await api(`/api/v1/experiments/${key}/clone`, { ...as("ADMIN"), body: { key: keyFor("life-clone") } });
    expect(cloned.status, cloned.text).toBe(201);
    const c = cloned.json.experiment;
    expect(c).toMatchObject({
      key: keyFor("life-clone"),
      name: "Support persona (copy)",
      status: "DRAFT",
      hypothesisSentence: created.hypothesisSentence,
      startedAt: null,
    });
    expect(c.variants.map((v: any) => [v.key, v.config])).toEqual(created.variants.map((v: any) => [v.key, v.config]));
    expect(c.metrics.map((m: any) => m.name)).toEqual(["helpfulness"]);
    expect(c.planSettings).toMatchObject({ dailyTraffic: 2000 });
    expect(await saltOf(keyFor("life-clone"))).not.toBe(await saltOf(key));
    expect(c.owner).toMatchObject({ email: "admin@assay.local" }); // the owner is whoever cloned it
    expect(c.audit.map((e: any) => [e.action, e.details])).toEqual([["experiment.cloned", { from: key, to: keyFor("life-clone") }]]);
    expect((await detail(key)).audit.at(-1)).toMatchObject({
      action: "experiment.cloned",
      details: { from: key, to: keyFor("life-clone") },
    });
    expect((await api(`/api/v1/experiments/${key}/clone`, { ...as("PM"), body: { key: keyFor("life-clone") } })).status).toBe(409);

    const archived = await api(`/api/v1/experiments/${key}/archive`, { ...as("PM"), body: { archived: true } });
    expect(archived.status).toBe(200);
    expect(archived.json.experiment.archivedAt).toBeTruthy();
    const listed = (await api(`/api/v1/experiments?q=${keyFor("life")}`, as("PM"))).json.experiments.map((e: any) => e.key);
    expect(listed).toEqual([keyFor("life-clone")]);
    const all = (await api(`/api/v1/experiments?q=${keyFor("life")}&archived=true`, as("PM"))).json.experiments.map((e: any) => e.key);
    expect(all.sort()).toEqual([key, keyFor("life-clone")].sort());
    const back = await api(`/api/v1/experiments/${key}/archive`, { ...as("PM"), body: { archived: false } });
    expect(back.json.experiment.archivedAt).toBeNull();
    expect(back.json.experiment.audit.slice(-2).map((e: any) => e.action)).toEqual(["experiment.archived", "experiment.unarchived"]);
    expect((await api(`/api/v1/experiments/${key}/archive`, { ...as("PM"), body: { archived: "yes" } })).status).toBe(400);
  });

  it("an archived draft cannot be started: 409 with a message, and it stays an archived draft", async () => {
    const key = keyFor("archived-start");
    const body: any = minimalExperimentBody(key);
    body.hypothesis = { change: "the prompt", expectation: "more help", reason: "structure" };
    await create(body);
    expect((await api(`/api/v1/experiments/${key}/archive`, { ...as("PM"), body: { archived: true } })).status).toBe(200);
    expect((await detail(key)).startProblems).toContain(
      "This draft is archived: unarchive it (it returns to the list) before starting it.",
    );
    const res = await start(key);
    expect(res.status, res.text).toBe(409);
    expect(res.json.error).toMatchObject({
      code: "CONFLICT",
      message: `Cannot start "${key}": This draft is archived: unarchive it (it returns to the list) before starting it.`,
    });
    const after = await detail(key);
    expect(after).toMatchObject({ status: "DRAFT", startedAt: null });
    expect(after.archivedAt).toBeTruthy();
    expect(after.audit.map((e: any) => e.action)).toEqual(["experiment.created", "experiment.archived"]);
    // Unarchived, the same draft starts.
    expect((await api(`/api/v1/experiments/${key}/archive`, { ...as("PM"), body: { archived: false } })).status).toBe(200);
    expect((await start(key)).status).toBe(200);
  });

  it("the design document downloads as Markdown", async () => {
    const res = await api("/api/v1/experiments/support-persona-structured/design.md", { cookie: creds.REVIEWER.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/markdown");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="support-persona-structured-design.md"');
    expect(res.text).toContain("# Support persona: generic vs structured steps");
    expect(res.text).toContain(
      "If we change the system prompt from a generic support agent to a structured persona, we expect helpfulness to rise by at least 5%, because structured steps and empathy make answers more actionable.",
    );
    expect(res.text).toContain("```text\n" + GUIDE_PROMPT_B.trimEnd() + "\n```");
    expect(res.text).toContain("| 1,872 | 3,744 | 2,000 | 2 |");
    expect(res.text).toContain("Clean: the variants differ only in the declared variable (SYSTEM_PROMPT).");
    expect((await api("/api/v1/experiments/nope-nope/design.md", as("PM"))).status).toBe(404);
  });
});

describe("plan", () => {
  it("takes an untyped baseline from the control's logged interactions (SQL aggregates), per metric source", async () => {
    const key = keyFor("history");
    const body: any = minimalExperimentBody(key);
    body.metrics = [
      { name: "completion", role: "GOAL", kind: "PROPORTION", field: "goal_completed", direction: "INCREASE", mde: 0.05 },
      { name: "latency", role: "GUARDRAIL", kind: "MEAN", field: "latency_ms", direction: "DECREASE", mde: 0.1 },
      { name: "csat", role: "GOAL", kind: "MEAN", source: "CUSTOM_VALUE", field: "csat", direction: "INCREASE", mde: 0.05 },
    ];
    body.plan = { dailyTraffic: 2000 };
    const created = await create(body);
    expect(created.plan).toEqual({ error: expect.stringContaining("Type a baseline for completion") });

    // 100 control interactions: 76 completed, latency 100..1090 ms, csat 1..4; and treatment rows that must not count.
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    const [control, treatment] = created.variants;
    for (let i = 0; i < 120; i++) {
      const variant = i < 100 ? control : treatment;
      await client.query(
        `INSERT INTO "Interaction" ("id", "requestId", "experimentId", "variantId", "userId", "latencyMs", "goalCompleted", "customMetrics") VALUES ($1, $1, $2, $3, $4, $5, $6, $7)`,
        [
          `${key}-${i}`,
          created.id,
          variant.id,
          `u${i}`,
          i < 100 ? 100 + 10 * i : 99_999,
          i < 100 ? i < 76 : false,
          JSON.stringify({ csat: i < 100 ? (i % 4) + 1 : 0, note: "x" }),
        ],
      );
    }
    await client.end();

    const proportion = (await detail(key)).plan;
    expect(proportion).toMatchObject({
      metricName: "completion",
      baselineSource: "control-history",
      baseline: 0.76,
      perVariant: 1872,
      total: 3744,
      days: 2,
    });

    expect((await patch(key, { plan: { metricName: "latency", dailyTraffic: 2000 } })).status).toBe(200);
    const latency = (await detail(key)).plan;
    // 100 + 10i for i = 0..99: mean 595, sample sd 10·sqrt(100·101/12) = 290.1149...
    expect(latency).toMatchObject({
      metricName: "latency",
      metricKind: "MEAN",
      baselineSource: "control-history",
      baseline: 595,
      mde: -0.1,
    });
    expect(latency.sd).toBeCloseTo(10 * Math.sqrt((100 * 101) / 12), 6);

    expect((await patch(key, { plan: { metricName: "csat" } })).status).toBe(200);
    expect((await detail(key)).plan).toMatchObject({ metricName: "csat", baselineSource: "control-history", baseline: 2.5, days: null });
  });
});

describe("plan from judge scores", () => {
  it("takes one score per interaction, from the newest rubric version, when re-scored", async () => {
    const key = keyFor("judge-baseline");
    const created = await create({
      ...minimalExperimentBody(key),
      metrics: [
        {
          name: "helpfulness",
          role: "GOAL",
          kind: "MEAN",
          source: "JUDGE_CRITERION",
          field: "helpfulness",
          direction: "INCREASE",
          mde: 0.05,
        },
      ],
    });
    const control = created.variants.find((v: any) => v.isControl);
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    const rubric = `rubric-${key}`;
    for (const version of [1, 2]) {
      await client.query(
        `INSERT INTO "Rubric" ("id", "name", "version", "prompt", "jsonSchema", "criteria") VALUES ($1, $2, $3, 'p', '{}', '[]')`,
        [`${rubric}-v${version}`, rubric, version],
      );
    }
    const v2Scores = [3, 4, 5, 4];
    for (let i = 0; i < v2Scores.length; i++) {
      await client.query(
        `INSERT INTO "Interaction" ("id", "requestId", "experimentId", "variantId", "userId") VALUES ($1, $1, $2, $3, 'u')`,
        [`${key}-${i}`, created.id, control.id],
      );
      // Scored first by rubric v1 (all 1s), then re-scored by v2: only v2 may count.
      await client.query(`INSERT INTO "JudgeScore" ("id", "interactionId", "rubricId", "scores") VALUES ($1, $2, $3, $4)`, [
        `${key}-${i}-v1`,
        `${key}-${i}`,
        `${rubric}-v1`,
        JSON.stringify({ helpfulness: 1 }),
      ]);
      await client.query(`INSERT INTO "JudgeScore" ("id", "interactionId", "rubricId", "scores") VALUES ($1, $2, $3, $4)`, [
        `${key}-${i}-v2`,
        `${key}-${i}`,
        `${rubric}-v2`,
        JSON.stringify({ helpfulness: v2Scores[i] }),
      ]);
    }
    await client.end();
    const plan = (await detail(key)).plan;
    // mean of 3, 4, 5, 4 = 4; sample sd = sqrt(2/3). Counting v1 too would give mean 2.5.
    expect(plan).toMatchObject({ metricName: "helpfulness", baselineSource: "control-history", baseline: 4 });
    expect(plan.sd).toBeCloseTo(Math.sqrt(2 / 3), 10);
  });
});

describe("list", () => {
  it("filters by status, search and owner=me, newest change first", async () => {
    const a = keyFor("list-a");
    const b = keyFor("list-b");
    await create({ ...minimalExperimentBody(a), hypothesis: { change: `zebra-${run}`, expectation: "more help", reason: "structure" } });
    await create(minimalExperimentBody(b), "ADMIN");
    expect((await start(a)).status).toBe(200);

    const search = (await api(`/api/v1/experiments?q=zebra-${run}`, as("ENGINEER"))).json.experiments;
    expect(search.map((e: any) => e.key)).toEqual([a]);
    expect(search[0]).toMatchObject({
      status: "RUNNING",
      variantCount: 2,
      owner: { name: "Priya PM" },
      variableUnderTest: "SYSTEM_PROMPT",
      archivedAt: null,
    });
    expect(search[0].hypothesisSentence).toContain(`zebra-${run}`);

    const running = (await api(`/api/v1/experiments?status=RUNNING&q=${keyFor("list")}`, as("PM"))).json.experiments.map((e: any) => e.key);
    expect(running).toEqual([a]);
    const both = (await api(`/api/v1/experiments?q=${keyFor("list")}`, as("PM"))).json.experiments.map((e: any) => e.key);
    expect(both).toEqual([a, b]); // a was started after b was created
    const mine = (await api(`/api/v1/experiments?owner=me&q=${keyFor("list")}`, as("PM"))).json.experiments.map((e: any) => e.key);
    expect(mine).toEqual([a]);
    expect((await api(`/api/v1/experiments?owner=me&q=${keyFor("list")}`, as("ENGINEER"))).json.experiments).toEqual([]);
    const pmId = (await api("/api/v1/me", as("PM"))).json.userId;
    expect(
      (await api(`/api/v1/experiments?owner=${pmId}&q=${keyFor("list")}`, as("REVIEWER"))).json.experiments.map((e: any) => e.key),
    ).toEqual([a]);
  });

  it("a bad query answers 400 naming the parameter", async () => {
    const bad = await api("/api/v1/experiments?status=LIVE", as("PM"));
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues[0].field).toBe("status");
    const unknown = await api("/api/v1/experiments?sort=name", as("PM"));
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details.issues[0].field).toBe("sort");
  });
});

describe("demo experiments", () => {
  it("seed the guide's Prompt A vs Prompt B as RUNNING, with the guide's plan (1,872 per variant, 3,744, 2 days)", async () => {
    const e = await detail("support-persona-structured");
    expect(e).toMatchObject({ status: "RUNNING", variableUnderTest: "SYSTEM_PROMPT", undeclared: [], owner: { email: "pm@assay.local" } });
    expect(e.variants.map((v: any) => [v.key, v.isControl, v.config.systemPrompt, v.config.systemPromptVersion, v.config.model])).toEqual([
      ["A", true, GUIDE_PROMPT_A, "v1.0-generic", "Llama-4-Scout-17B-16E-Instruct-FP8"],
      ["B", false, GUIDE_PROMPT_B, "v2.1-structured-steps", "Llama-4-Scout-17B-16E-Instruct-FP8"],
    ]);
    expect(e.plan).toMatchObject({ metricName: "Helpfulness (normalised)", baseline: 0.76, perVariant: 1872, total: 3744, days: 2 });
    expect(e.metrics).toHaveLength(6);
    expect(e.audit.map((a: any) => [a.action, a.actorLabel])).toEqual([
      ["experiment.created", "pm@assay.local"],
      ["experiment.started", "pm@assay.local"],
    ]);
  });

  it("have one experiment in every status", async () => {
    const statuses = Object.fromEntries(
      await Promise.all(
        ["model-scout-vs-maverick", "temperature-0-7-vs-0-2", "rag-top-k-5-vs-10", "tool-use-conservative-vs-aggressive"].map(async (k) => [
          k,
          (await detail(k)).status,
        ]),
      ),
    );
    expect(statuses).toEqual({
      "model-scout-vs-maverick": "DRAFT",
      "temperature-0-7-vs-0-2": "STOPPED",
      "rag-top-k-5-vs-10": "DECIDED",
      "tool-use-conservative-vs-aggressive": "DRAFT",
    });
    const decided = await detail("rag-top-k-5-vs-10");
    expect(decided.audit.at(-1)).toMatchObject({ action: "review.approved", actorLabel: "reviewer@assay.local" });
  });
});

describe("bad bodies on the lifecycle routes", () => {
  it.each([
    ["clone", { key: "Bad Key!" }, "key"],
    ["clone", { key: "ok-key", name: "x".repeat(5000) }, "name"],
    ["clone", { name: "no key" }, "key"],
    ["clone", { key: "ok-key", extra: 1 }, "extra"],
    ["start", { singleVariableReason: 42 }, "singleVariableReason"],
    ["stop", { reason: ["not", "text"] }, "reason"],
    ["archive", { archived: "yes" }, "archived"],
    ["archive", {}, "archived"],
  ])("%s with %j answers 400 naming %s, and changes nothing", async (action, body, field) => {
    const key = keyFor(`bad-${action}-${field.toLowerCase()}-${Math.random().toString(36).slice(2, 6)}`);
    await create(minimalExperimentBody(key));
    const before = await detail(key);
    const res = await api(`/api/v1/experiments/${key}/${action}`, { ...as("PM"), body });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues.map((i: any) => i.field)).toContain(field);
    const after = await detail(key);
    expect(after.status).toBe(before.status);
    expect(after.audit).toHaveLength(before.audit.length);
  });
});

describe("concurrent changes", () => {
  it("of ten simultaneous starts exactly one wins; the rest get 409, never 500", async () => {
    const key = keyFor("race-start");
    await create(minimalExperimentBody(key));
    const results = await Promise.all(Array.from({ length: 10 }, () => start(key)));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const audit = (await detail(key)).audit.filter((e: any) => e.action === "experiment.started");
    expect(audit).toHaveLength(1);
  });

  it("simultaneous saves and a start never leave a running experiment with variants changed after the start", async () => {
    const key = keyFor("race-edit");
    await create(minimalExperimentBody(key));
    const base = minimalExperimentBody(key).variants;
    const edits = Array.from({ length: 6 }, (_, i) =>
      patch(key, { variants: base.map((v: any) => (v.key === "B" ? { ...v, config: { ...v.config, systemPrompt: `Persona ${i}` } } : v)) }),
    );
    const results = await Promise.all([...edits, start(key)]);
    for (const r of results) expect([200, 409], r.text).toContain(r.status);
    const final = await detail(key);
    const started = final.audit.find((e: any) => e.action === "experiment.started");
    if (started) {
      // Every save that succeeded was recorded before the start, none after it.
      const savesAfterStart = final.audit.filter((e: any) => e.action === "experiment.updated" && e.createdAt > started.createdAt);
      expect(savesAfterStart).toEqual([]);
    }
  });
});
