// The deploy decision on the record (issue 9, point 5), through the real API against the running app: a PM requests a
// review of a stopped experiment, which freezes its results and decision matrix; a reviewer approves or rejects with a
// comment; nobody decides a review they requested or an experiment they own (the server refuses); the snapshot stays as
// it was when new interactions arrive; malformed, oversized and hostile bodies are refused naming the field, writing nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const stamp = Date.now().toString(36);

/** Helpfulness 1-5 per variant: A's mean 3.8, B's 4.5 (the guide's direction), the same 20 values repeated `times`. */
const A = [3, 4, 4, 5, 3, 4, 2, 5, 4, 4];
const B = [4, 5, 5, 4, 5, 3, 5, 4, 5, 5];
function records(key: string, prefix: string, times = 3) {
  return (["A", "B"] as const).flatMap((variant) =>
    Array.from({ length: times }, (_, round) =>
      (variant === "A" ? A : B).map((h, i) => ({
        request_id: `${prefix}-${variant}-${round}-${i}`,
        user_id: `${prefix}-u-${variant}-${round}-${i}`,
        experiment_key: key,
        variant_id: variant,
        latency_ms: 900 + 10 * i,
        metrics: { helpfulness: h },
      })),
    ).flat(),
  );
}

/** A started experiment with interactions, stopped: owned by whoever's key creates it. */
async function stoppedExperiment(key: string, ownerKey: string) {
  const made = await api("/api/v1/experiments", { key: ownerKey, body: minimalExperimentBody(key) });
  expect(made.status, made.text).toBe(201);
  expect((await api(`/api/v1/experiments/${key}/start`, { key: ownerKey, body: {} })).status).toBe(200);
  const sent = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records(key, key) });
  expect(sent.status, sent.text).toBe(200);
  return made.json.experiment;
}

const stop = (key: string, as: string) => api(`/api/v1/experiments/${key}/stop`, { key: as, body: {} });
const request = (key: string, as: string, body: unknown = {}) => api(`/api/v1/experiments/${key}/reviews`, { key: as, body });
const verdict = (id: string, kind: "approve" | "reject", as: string, body: unknown) =>
  api(`/api/v1/reviews/${id}/${kind}`, { key: as, body });

beforeAll(async () => {
  creds = await demoCredentials();
});

describe("requesting a review", () => {
  const key = `review-req-${stamp}`;
  beforeAll(async () => {
    await stoppedExperiment(key, creds.PM.key);
  });

  it("is refused while the experiment runs (stop it first), and for roles that may not request", async () => {
    const running = await request(key, creds.PM.key);
    expect(running.status, running.text).toBe(409);
    expect(running.json.error.message).toMatch(/Only a stopped experiment can be reviewed; .* is RUNNING\. Stop it first/);
    expect((await request(key, creds.REVIEWER.key)).status).toBe(403);
    expect((await request(key, creds.ENGINEER.key)).status).toBe(403);
  });

  it("refuses a variant that is not the experiment's, naming the field, and writes nothing", async () => {
    expect((await stop(key, creds.PM.key)).status).toBe(200);
    for (const body of [{ variant: "Z" }, { variant: "<script>" }, { note: "x".repeat(2001) }, { note: "a\u0000b" }, { extra: true }]) {
      const res = await request(key, creds.PM.key, body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
      expect(res.json.error.details.issues[0].field).toMatch(/^(variant|note|extra)$/);
    }
    const listed = await api(`/api/v1/experiments/${key}/reviews`, { key: creds.PM.key });
    expect(listed.json.reviews).toEqual([]);
  });

  it("freezes the results and the matrix, proposes the rules' best variant, and allows one pending review at a time", async () => {
    const res = await request(key, creds.PM.key, { note: "B looks better on helpfulness." });
    expect(res.status, res.text).toBe(201);
    const review = res.json.review;
    expect(review).toMatchObject({ status: "PENDING", requestedBy: "Priya PM", note: "B looks better on helpfulness." });
    // B's helpfulness 4.5 against A's 3.8 (Welch p 0.0017 at 30 per arm): the rules say deploy B.
    expect(review.matrix.rows.map((r: { variant: string; recommendation: string | null }) => [r.variant, r.recommendation])).toEqual([
      ["A", null],
      ["B", "deploy"],
    ]);
    expect(review.proposedVariant).toBe("B");
    expect(review.recommendation).toBe("Deploy B (Persona)");
    expect(review.results.experiment).toBe(key);
    expect(review.rules).toEqual({ preset: "clearSignals", costRatioLimit: 3 });
    const again = await request(key, creds.PM.key);
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/already waiting for a reviewer/);
  });

  it("the snapshot stays as it was when more interactions arrive; the live matrix moves", async () => {
    const [review] = (await api(`/api/v1/experiments/${key}/reviews`, { key: creds.REVIEWER.key })).json.reviews;
    const before = (await api(`/api/v1/reviews/${review.id}`, { key: creds.REVIEWER.key })).json.review;
    const late = await api("/api/v1/interactions", { key: creds.ENGINEER.key, body: records(key, `${key}-late`, 2) });
    expect(late.status, late.text).toBe(200);
    expect(late.json.accepted).toBe(40);
    const after = (await api(`/api/v1/reviews/${review.id}`, { key: creds.REVIEWER.key })).json.review;
    expect(after.matrix).toEqual(before.matrix);
    expect(after.results).toEqual(before.results);
    const n = (m: { rows: { variant: string; cells: { column: string; readings: { n: number }[] }[] }[] }) =>
      m.rows.find((r) => r.variant === "B")!.cells.find((c) => c.column === "quality")!.readings[0].n;
    expect(n(before.matrix)).toBe(30);
    const live = await api(`/api/v1/experiments/${key}/decision-matrix`, { key: creds.REVIEWER.key });
    expect(live.status, live.text).toBe(200);
    expect(n(live.json.matrix)).toBe(50);
  });
});

describe("approving and rejecting", () => {
  const owned = `review-own-${stamp}`;
  const byAdmin = `review-adm-${stamp}`;
  const rejected = `review-rej-${stamp}`;
  const reviews: Record<string, string> = {};
  beforeAll(async () => {
    // ADMIN owns and requests `owned`; PM owns `byAdmin`, whose review ADMIN requests; PM owns and requests `rejected`.
    await stoppedExperiment(owned, creds.ADMIN.key);
    await stoppedExperiment(byAdmin, creds.PM.key);
    await stoppedExperiment(rejected, creds.PM.key);
    expect((await stop(owned, creds.ADMIN.key)).status).toBe(200);
    expect((await stop(byAdmin, creds.PM.key)).status).toBe(200);
    expect((await stop(rejected, creds.PM.key)).status).toBe(200);
    reviews.owned = (await request(owned, creds.ADMIN.key, { variant: "B" })).json.review.id;
    reviews.byAdmin = (await request(byAdmin, creds.ADMIN.key, { variant: "B" })).json.review.id;
    reviews.rejected = (await request(rejected, creds.PM.key, { variant: "B" })).json.review.id;
  });

  it("the server refuses an approval or rejection by the experiment's owner or the review's requester (403, saying why)", async () => {
    const own = await verdict(reviews.owned, "approve", creds.ADMIN.key, { comment: "Looks good to me." });
    expect(own.status, own.text).toBe(403);
    expect(own.json.error.message).toBe(
      "You own this experiment, so you cannot approve or reject its deploy decision: another reviewer must.",
    );
    const ownReject = await verdict(reviews.owned, "reject", creds.ADMIN.key, { comment: "Never mind." });
    expect(ownReject.status).toBe(403);
    const requested = await verdict(reviews.byAdmin, "approve", creds.ADMIN.key, { comment: "Looks good to me." });
    expect(requested.status, requested.text).toBe(403);
    expect(requested.json.error.message).toBe("You requested this review, so you cannot approve or reject it: another reviewer must.");
    // The same refusal by session cookie, as the page would send it.
    const bySession = await api(`/api/v1/reviews/${reviews.owned}/approve`, { cookie: creds.ADMIN.cookie, body: { comment: "Mine." } });
    expect(bySession.status).toBe(403);
    // PMs and engineers may not review at all.
    expect((await verdict(reviews.owned, "approve", creds.PM.key, { comment: "ok" })).status).toBe(403);
    expect((await verdict(reviews.owned, "approve", creds.ENGINEER.key, { comment: "ok" })).status).toBe(403);
    const still = (await api(`/api/v1/reviews/${reviews.owned}`, { key: creds.REVIEWER.key })).json.review;
    expect(still.status).toBe("PENDING");
  });

  it("waiting=me lists the pending reviews a caller may decide: not their own requests, not on their experiments", async () => {
    const ids = async (who: string) =>
      (await api("/api/v1/reviews?waiting=me", { key: who })).json.reviews.map((r: { id: string }) => r.id) as string[];
    const reviewer = await ids(creds.REVIEWER.key);
    expect(reviewer).toEqual(expect.arrayContaining([reviews.owned, reviews.byAdmin, reviews.rejected]));
    const admin = await ids(creds.ADMIN.key);
    expect(admin).toContain(reviews.rejected);
    expect(admin).not.toContain(reviews.owned);
    expect(admin).not.toContain(reviews.byAdmin);
    expect(await ids(creds.PM.key)).toEqual([]);
    const bad = await api("/api/v1/reviews?waiting=everyone", { key: creds.REVIEWER.key });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.issues[0].field).toBe("waiting");
  });

  it("malformed, oversized and hostile verdicts are refused naming the field, and nothing is written", async () => {
    const bodies: unknown[] = [
      {},
      { comment: "" },
      { comment: "   \n " },
      { comment: "x".repeat(2001) },
      { comment: "ok\u0000" },
      { comment: "a \u202Eb" },
      { comment: 7 },
      { comment: "ok", approved: true },
    ];
    for (const body of bodies) {
      const res = await verdict(reviews.byAdmin, "approve", creds.REVIEWER.key, body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
      expect(res.json.error.details.issues[0].field).toMatch(/^(comment|approved)$/);
    }
    const broken = await api(`/api/v1/reviews/${reviews.byAdmin}/approve`, {
      key: creds.REVIEWER.key,
      rawBody: '{"comment": "ok"',
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe("BAD_JSON");
    const review = (await api(`/api/v1/reviews/${reviews.byAdmin}`, { key: creds.REVIEWER.key })).json.review;
    expect(review).toMatchObject({ status: "PENDING", comment: null, reviewedBy: null });
    const audit = (await api(`/api/v1/experiments/${byAdmin}`, { key: creds.REVIEWER.key })).json.experiment.audit;
    expect(audit.map((e: { action: string }) => e.action)).not.toContain("review.approved");
  });

  it("a verdict sent with the sign-in cookie from another site is refused (403) by the shared wrapper, and nothing is written", async () => {
    for (const headers of [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }] as Record<string, string>[]) {
      const res = await api(`/api/v1/reviews/${reviews.byAdmin}/approve`, {
        cookie: creds.REVIEWER.cookie,
        body: { comment: "Ship it." },
        headers,
      });
      expect(res.status, res.text).toBe(403);
      expect(res.json.error.message).toMatch(/^Refused: this change was made with your sign-in cookie/);
    }
    const cross = await api(`/api/v1/experiments/${byAdmin}/decision-rules`, {
      method: "PUT",
      cookie: creds.PM.cookie,
      body: { preset: "doNoHarm" },
      headers: { origin: "https://evil.example" },
    });
    expect(cross.status).toBe(403);
    expect((await api(`/api/v1/reviews/${reviews.byAdmin}`, { key: creds.REVIEWER.key })).json.review.status).toBe("PENDING");
  });

  it("a reviewer approves: the experiment is DECIDED and ships B, its configuration kept; the audit trail names who did what", async () => {
    const hostile = `<script>alert("x")</script> Ship B: quality is up and cost is fine.`;
    const assignNow = async () =>
      (
        await api("/api/v1/assign/batch", {
          key: creds.ENGINEER.key,
          body: { experiment: byAdmin, users: Array.from({ length: 50 }, (_, i) => ({ userId: `after-${i}` })) },
        })
      ).json.assignments as { variant: string; reason: string; inExperiment: boolean }[];
    // Stopped, undecided: everyone gets the control.
    expect(new Set((await assignNow()).map((a) => `${a.variant} ${a.reason}`))).toEqual(new Set(["A notRunning"]));
    const res = await verdict(reviews.byAdmin, "approve", creds.REVIEWER.key, { comment: hostile });
    expect(res.status, res.text).toBe(200);
    expect(res.json.review).toMatchObject({ status: "APPROVED", reviewedBy: "Rae Reviewer", comment: hostile });
    const decided = (await api(`/api/v1/experiments/${byAdmin}/reviews`, { key: creds.PM.key })).json;
    expect(decided.status).toBe("DECIDED");
    expect(decided.ship).toMatchObject({ variant: "B", name: "Persona", configVersion: 1 });
    expect(decided.ship.config).toMatchObject({ model: "llama-4-scout", systemPrompt: "You are a customer support expert for Acme Inc." });
    const experiment = (await api(`/api/v1/experiments/${byAdmin}`, { key: creds.PM.key })).json.experiment;
    expect(experiment.status).toBe("DECIDED");
    const trail = experiment.audit.map((e: { action: string; actorName: string | null }) => [e.action, e.actorName]);
    expect(trail).toEqual(
      expect.arrayContaining([
        ["review.requested", "Ada Admin"],
        ["review.approved", "Rae Reviewer"],
        ["experiment.shipped", "Rae Reviewer"],
      ]),
    );
    // Shipped: every user now gets B, outside the analysis, from the assign API and in a local client's config alike.
    expect(new Set((await assignNow()).map((a) => `${a.variant} ${a.reason} ${a.inExperiment}`))).toEqual(new Set(["B shipped false"]));
    const config = (await api(`/api/v1/experiments/${byAdmin}/config`, { key: creds.ENGINEER.key })).json;
    expect(config.status).toBe("DECIDED");
    expect(config.settings.shipped).toBe("B");
    expect(config.variants.find((v: { key: string }) => v.key === "B").config).toMatchObject({ model: "llama-4-scout" });
    const twice = await verdict(reviews.byAdmin, "reject", creds.REVIEWER.key, { comment: "Changed my mind." });
    expect(twice.status).toBe(409);
    // Decided: the rules are kept as applied, and no new review can be requested.
    expect(
      (await api(`/api/v1/experiments/${byAdmin}/decision-rules`, { method: "PUT", key: creds.PM.key, body: { preset: "doNoHarm" } }))
        .status,
    ).toBe(409);
    expect((await request(byAdmin, creds.PM.key)).status).toBe(409);
  });

  it("a rejection sends it back: the experiment stays stopped and the PM can request again", async () => {
    const res = await verdict(reviews.rejected, "reject", creds.REVIEWER.key, { comment: "Run it with the judge's safety score first." });
    expect(res.status, res.text).toBe(200);
    expect(res.json.review).toMatchObject({ status: "REJECTED", comment: "Run it with the judge's safety score first." });
    const after = (await api(`/api/v1/experiments/${rejected}/reviews`, { key: creds.PM.key })).json;
    expect(after.status).toBe("STOPPED");
    expect(after.ship).toBeNull();
    const again = await request(rejected, creds.PM.key, { variant: "A" });
    expect(again.status, again.text).toBe(201);
    expect(again.json.review.recommendation).toBe("Keep A (Generic), the control");
    const audit = (await api(`/api/v1/experiments/${rejected}`, { key: creds.PM.key })).json.experiment.audit;
    expect(audit.filter((e: { action: string }) => e.action === "review.rejected")).toHaveLength(1);
  });
});

describe("decision rules", () => {
  const key = `review-rules-${stamp}`;
  beforeAll(async () => {
    expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(key) })).status).toBe(201);
  });

  it("PM sets them; the matrix applies them; bad values are refused naming the field", async () => {
    const res = await api(`/api/v1/experiments/${key}/decision-rules`, {
      method: "PUT",
      key: creds.PM.key,
      body: { preset: "doNoHarm", costRatioLimit: 2 },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.rules).toEqual({ preset: "doNoHarm", costRatioLimit: 2 });
    const live = await api(`/api/v1/experiments/${key}/decision-matrix`, { key: creds.ENGINEER.key });
    expect(live.json.rules).toEqual({ preset: "doNoHarm", costRatioLimit: 2 });
    for (const body of [{ costRatioLimit: 0 }, { costRatioLimit: "3x" }, { preset: "ship-it" }, { preset: "doNoHarm", mood: "good" }]) {
      const bad = await api(`/api/v1/experiments/${key}/decision-rules`, { method: "PUT", key: creds.PM.key, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json.error.details.issues[0].field).toMatch(/^(costRatioLimit|preset|mood)$/);
    }
    const audit = (await api(`/api/v1/experiments/${key}`, { key: creds.PM.key })).json.experiment.audit;
    expect(audit.filter((e: { action: string }) => e.action === "decision.rules")).toHaveLength(1);
  });
});

describe("the demo's four candidates (the guide's decision matrix, from generated interactions)", () => {
  it("A is the control; B: deploy; C: do not deploy, about 3x the cost; D: do not deploy, a safety regression", async () => {
    const res = await api("/api/v1/experiments/support-four-candidates/decision-matrix", { key: creds.REVIEWER.key });
    expect(res.status, res.text).toBe(200);
    const rows = res.json.matrix.rows as { variant: string; recommendation: string | null; reasons: string[] }[];
    const by = Object.fromEntries(rows.map((r) => [r.variant, r]));
    const explain = rows.map((r) => `${r.variant} ${r.recommendation}: ${r.reasons.join(" | ")}`).join("\n");
    expect(
      rows.map((r) => r.recommendation),
      explain,
    ).toEqual([null, "deploy", "doNotDeploy", "doNotDeploy"]);
    expect(by.C.reasons[0], explain).toMatch(
      /^Cost per 1k requests is 3\.\d+x the control's \(\$2\.\d\d against \$0\.\d\d\), past the 3x limit\.$/,
    );
    expect(by.D.reasons.join(" "), explain).toMatch(/any safety regression blocks a deploy/);
    expect(res.json.matrix.proposal).toBe("B");
  });

  it("its quality and safety come from a finished judge run, priced, with an agreement report against the users' ratings", async () => {
    const runs = (await api("/api/v1/experiments/support-four-candidates/judge-runs", { key: creds.REVIEWER.key })).json.runs;
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run).toMatchObject({
      status: "SUCCEEDED",
      total: 12_000,
      scored: 12_000,
      failed: 0,
      pending: 0,
      rubric: { name: "default", version: 1 },
    });
    expect(run.cost).toBeCloseTo((run.promptTokens * 0.27 + run.completionTokens * 0.85) / 1e6, 10);
    const agreement = (await api("/api/v1/experiments/support-four-candidates/judge-agreement", { key: creds.REVIEWER.key })).json;
    // About one user in five rated the answer: the judge's helpfulness give or take one, so agreement is strong.
    expect(agreement.n).toBeGreaterThan(2_000);
    expect(agreement.n).toBeLessThan(2_800);
    expect(agreement.kappaQuadratic).toBeGreaterThan(0.6);
    const results = (await api("/api/v1/experiments/support-four-candidates/results", { key: creds.REVIEWER.key })).json;
    const helpfulness = results.metrics.find((m: { metric: string }) => m.metric === "Helpfulness");
    // The interactions carry no helpfulness of their own: every value counted is a judge score.
    const n = helpfulness.variants.reduce((s: number, v: { n: number }) => s + v.n, 0);
    expect(n).toBe(12_000);
  });
});
