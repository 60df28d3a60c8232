// The judge-against-users agreement report through the real API: planted (judge, user) pairs give sklearn's and scipy's
// numbers, counted over the whole 1-5 scale, per variant and against a second rubric version; interactions with only one
// of the two ratings, or a rating off the scale, are left out (and said so); bad query values are 400 naming the field,
// an unknown experiment 404, and every role that reads results may read it (no one anonymous).
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http";
import { insertInteractions, sql } from "../support/interactionRows";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";
import { expectClose } from "../support/close";

let creds: Awaited<ReturnType<typeof demoCredentials>>;
const stamp = Date.now().toString(36);
const key = `agreement-${stamp}`;
const empty = `agreement-empty-${stamp}`;
const rubric = `agree-${stamp}`;
// Interaction i: the judge's helpfulness (rubric version 1) and the user's feedback score; even i in variant A, odd in B.
const judge = [5, 4, 4, 3, 5, 2, 1, 4, 3, 5, 4, 2, 3, 3, 5, 1, 2, 4, 5, 3, 4, 2, 5, 1, 3, 4, 5, 2];
const human = [5, 5, 4, 3, 4, 2, 2, 3, 3, 5, 4, 1, 3, 2, 5, 1, 3, 4, 4, 3, 5, 1, 4, 2, 2, 4, 3, 3];
// Version 2's helpfulness of the first 16 interactions (scored a day earlier, so version 1 is the most recently used).
const judgeV2 = [5, 4, 3, 3, 5, 2, 2, 4, 3, 4, 4, 2, 3, 4, 5, 1];
const criteria = [
  { key: "helpfulness", label: "Helpfulness", description: "Does it help?", min: 1, max: 5 },
  { key: "clarity", label: "Clarity", description: "Is it clear?", min: 1, max: 5 },
];

const report = (query = "", as = creds.REVIEWER.key, experiment = key) =>
  api(`/api/v1/experiments/${experiment}/judge-agreement${query}`, { key: as });

beforeAll(async () => {
  creds = await demoCredentials();
  for (const k of [key, empty]) {
    expect((await api("/api/v1/experiments", { key: creds.PM.key, body: minimalExperimentBody(k) })).status).toBe(201);
    expect((await api(`/api/v1/experiments/${k}/start`, { key: creds.PM.key, body: {} })).status).toBe(200);
  }
  const row = (i: number, userFeedbackScore: number | null) => ({
    id: `${key}-${i}`,
    requestId: `${key}-${i}`,
    variant: i % 2 ? "B" : "A",
    userId: `u${i}`,
    timestamp: "2026-01-05T10:00:00Z",
    userInput: `question ${i}`,
    modelOutput: `answer ${i}`,
    userFeedbackScore,
  });
  // 28 pairs; then 28: judged, no user rating; 29: rated, never judged; 30: a rating of 4.5 (off the 1-5 scale).
  await insertInteractions(key, [...human.map((h, i) => row(i, h)), row(28, null), row(29, 4), row(30, 4.5)]);
  for (const version of [1, 2])
    await sql(`INSERT INTO "Rubric" (id, name, version, prompt, "jsonSchema", criteria) VALUES ($1, $2, $3, 'p', '{}', $4::jsonb)`, [
      `${rubric}-v${version}`,
      rubric,
      version,
      JSON.stringify(criteria),
    ]);
  const scores = [
    ...judge.map((j, i) => [i, 1, j] as const),
    [28, 1, 4] as const,
    [30, 1, 4] as const,
    ...judgeV2.map((j, i) => [i, 2, j] as const),
  ];
  await sql(
    `INSERT INTO "JudgeScore" (id, "interactionId", "rubricId", scores, reasoning, "createdAt")
     SELECT 'js-' || s.i || '-' || s.v || '-' || $1, $1 || '-' || s.i, $2 || '-v' || s.v, jsonb_build_object('helpfulness', s.h, 'clarity', 3),
       'r', now() - make_interval(days => CASE WHEN s.v = 2 THEN 1 ELSE 0 END)
     FROM jsonb_to_recordset($3::jsonb) AS s(i int, v int, h int)`,
    [key, rubric, JSON.stringify(scores.map(([i, v, h]) => ({ i, v, h })))],
  );
});

describe("GET /api/v1/experiments/{key}/judge-agreement", () => {
  it("gives sklearn's weighted kappa and scipy's Spearman over the pairs with both ratings, on the whole scale", async () => {
    const res = await report();
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      rubric: { name: rubric, version: 1 },
      criterion: "helpfulness",
      human: "user_feedback_score",
      n: 28,
      offScale: 1,
      // sklearn.metrics.confusion_matrix(human, judge, labels=[1, 2, 3, 4, 5]).tolist(): rows the users', columns the judge's.
      confusion: {
        labels: [1, 2, 3, 4, 5],
        matrix: [
          [1, 2, 0, 0, 0],
          [2, 1, 2, 0, 0],
          [0, 2, 4, 1, 1],
          [0, 0, 0, 4, 3],
          [0, 0, 0, 2, 3],
        ],
      },
      versions: [
        { name: rubric, version: 1, scored: 30 },
        { name: rubric, version: 2, scored: 16 },
      ],
    });
    expect(res.json.criteria.map((c: { key: string }) => c.key)).toEqual(["helpfulness", "clarity"]);
    // sklearn.metrics.cohen_kappa_score(human, judge, labels=[1, 2, 3, 4, 5], weights="quadratic")
    expectClose(res.json.kappaQuadratic, 0.8037383177570093, 1e-12);
    // scipy.stats.spearmanr(human, judge).statistic and .pvalue (scipy 1.10.1)
    expectClose(res.json.spearman, 0.8212296822142399, 1e-12);
    expectClose(res.json.spearmanP, 8.57402689138393e-8, 1e-12);
    expect(res.json.note).toBe("1 interaction was left out: a user rating or judge score not a whole number from 1 to 5");
  });

  it("per variant, the same statistics over each variant's pairs", async () => {
    const { json } = await report("?rubric=" + rubric + "&version=1&criterion=helpfulness");
    const [a, b] = json.perVariant;
    expect([a.variant, a.n, b.variant, b.n]).toEqual(["A", 14, "B", 14]);
    // even i (variant A): cohen_kappa_score([human[i] for i in range(0, 28, 2)], [judge[i] for i in range(0, 28, 2)], labels=[1..5], weights="quadratic"),
    // spearmanr(the same two lists).statistic; odd i (variant B) likewise with range(1, 28, 2).
    expectClose(a.kappaQuadratic, 0.6907630522088353, 1e-12);
    expectClose(a.spearman, 0.688733762466833, 1e-12);
    expectClose(b.kappaQuadratic, 0.8414239482200647, 1e-12);
    expectClose(b.spearman, 0.852037355816651, 1e-12);
  });

  it("self-consistency: version 1 against version 2 over the interactions both scored", async () => {
    const { json } = await report();
    expect(json.selfConsistency).toMatchObject({ against: { name: rubric, version: 2 }, n: 16, note: null });
    expect(json.selfConsistencyNote).toBeNull();
    // cohen_kappa_score(judge[:16], judgeV2, labels=[1..5], weights="quadratic"); spearmanr(judge[:16], judgeV2).statistic
    expectClose(json.selfConsistency.kappaQuadratic, 0.9191919191919192, 1e-12);
    expectClose(json.selfConsistency.spearman, 0.9178393853724472, 1e-12);
  });

  it("another version or criterion; a judge that gives one score only has no kappa, with a note saying why", async () => {
    const v2 = await report(`?version=2`);
    expect(v2.status, v2.text).toBe(200);
    expect(v2.json).toMatchObject({ rubric: { name: rubric, version: 2 }, n: 16, selfConsistency: { against: { version: 1 }, n: 16 } });
    // cohen_kappa_score(human[:16], judgeV2, labels=[1..5], weights="quadratic"); spearmanr(human[:16], judgeV2).statistic
    expectClose(v2.json.kappaQuadratic, 0.803921568627451, 1e-12);
    expectClose(v2.json.spearman, 0.7989366009276347, 1e-12);
    const clarity = await report(`?criterion=clarity`);
    expect(clarity.status, clarity.text).toBe(200);
    // The judge gave clarity 3 to every interaction: no rank correlation (spearmanr gives nan); kappa is
    // cohen_kappa_score(human, [3] * 28, labels=[1..5], weights="quadratic") = 0.0.
    expect(clarity.json).toMatchObject({ criterion: "clarity", n: 28, kappaQuadratic: 0, spearman: null, spearmanP: null });
    expect(clarity.json.note).toMatch(/^rank correlation is undefined: the judge gave every interaction the same score/);
  });

  it("an experiment with no judge score: n 0, null numbers and a note; the default rubric's criteria", async () => {
    const res = await report("", creds.REVIEWER.key, empty);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      rubric: { name: "default", version: 1 },
      criterion: "helpfulness",
      n: 0,
      kappaQuadratic: null,
      spearman: null,
      spearmanP: null,
      note: "fewer than 2 interactions have both a judge score and a user rating",
      versions: [],
      selfConsistency: null,
    });
    expect(res.json.confusion.matrix).toEqual(Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]));
    expect(res.json.perVariant.map((v: { variant: string; n: number }) => [v.variant, v.n])).toEqual([
      ["A", 0],
      ["B", 0],
    ]);
  });

  it("bad query values are 400 naming the field and what to fix; an unknown experiment is 404", async () => {
    const cases: [string, string, RegExp][] = [
      ["?criterion=tone", "criterion", /has no criterion "tone"; choose one of helpfulness, clarity/],
      ["?criterion=Not%20a%20key", "criterion", /criterion must be a judge criterion's key/],
      [`?rubric=no-such-rubric-${stamp}`, "rubric", /no rubric is called "no-such-rubric-.*"; this experiment was judged with/],
      [`?rubric=${rubric}&version=7`, "version", /has no version 7; its versions are 1, 2/],
      ["?version=two", "version", /version must be a whole number/],
      ["?version=1.5", "version", /version must be a whole number/],
      ["?version=1&version=2", "version", /version must be given once/],
      ["?variant=A", "variant", /unknown field "variant"; remove it/],
    ];
    for (const [query, field, message] of cases) {
      const res = await report(query);
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION");
      expect(res.json.error.details.issues[0].field, query).toBe(field);
      expect(res.json.error.details.issues[0].message, query).toMatch(message);
    }
    const missing = await report("", creds.REVIEWER.key, `no-such-${stamp}`);
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: "NOT_FOUND", message: `No experiment has the key "no-such-${stamp}".` });
  });

  it("every role that reads results reads it, by key and by session; no one anonymous", async () => {
    for (const role of ["ADMIN", "PM", "ENGINEER", "REVIEWER"] as const) {
      expect((await report("", creds[role].key)).status, role).toBe(200);
      const bySession = await api(`/api/v1/experiments/${key}/judge-agreement`, { cookie: creds[role].cookie });
      expect(bySession.status, role).toBe(200);
      expect(bySession.headers.get("cache-control")).toBe("no-store");
    }
    expect((await api(`/api/v1/experiments/${key}/judge-agreement`)).status).toBe(401);
    expect((await report("", "assay_not_a_real_key_000000000000")).status).toBe(401);
  });
});
