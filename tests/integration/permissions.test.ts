import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { can, ROLES, type Action } from "@/lib/auth/permissions";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { sourceFiles } from "../support/sourceFiles";
import { minimalExperimentBody } from "../support/experiments";
import { DEFAULT_RUBRIC } from "@/lib/judge/rubric";

// Every API route with the action its handler checks. The walk below calls each one as each role,
// by session and by API key, and expects 403 exactly when the permission table says no.
interface RouteCase {
  method: string;
  path: (ctx: { userId: string; experimentKey: string }) => string;
  action: Action;
  body?: () => unknown;
}

const routes: RouteCase[] = [
  { method: "GET", path: () => "/api/v1/me", action: "me:read" },
  { method: "GET", path: () => "/api/v1/users", action: "users:read" },
  {
    method: "POST",
    path: () => "/api/v1/users",
    action: "users:manage",
    body: () => ({
      email: `walk-${Math.random().toString(36).slice(2)}@example.com`,
      name: "Walk",
      role: "REVIEWER",
      password: "a-long-password-1",
    }),
  },
  { method: "PATCH", path: ({ userId }) => `/api/v1/users/${userId}`, action: "users:manage", body: () => ({ name: "Walked" }) },
  { method: "GET", path: () => "/api/v1/api-keys", action: "apiKeys:manageOwn" },
  { method: "POST", path: () => "/api/v1/api-keys", action: "apiKeys:manageOwn", body: () => ({ name: "walk" }) },
  { method: "DELETE", path: () => "/api/v1/api-keys/does-not-exist", action: "apiKeys:manageOwn" },
  { method: "POST", path: () => "/api/v1/plan", action: "planner:use", body: () => ({ metric: "proportion", baseline: 0.76, mde: 0.05 }) },
  {
    method: "POST",
    path: () => "/api/v1/bandit-simulations",
    action: "planner:use",
    body: () => ({ arms: [0.1, 0.12], horizon: 1000, batch: 200, runs: 2 }),
  },
  { method: "GET", path: () => "/api/v1/experiments", action: "experiments:read" },
  {
    method: "POST",
    path: () => "/api/v1/experiments",
    action: "experiments:create",
    body: () => minimalExperimentBody(`walk-${Math.random().toString(36).slice(2)}`),
  },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}`, action: "experiments:read" },
  // An empty change: allowed roles get 200, the finer per-field rule is tested in experiments.test.ts.
  {
    method: "PATCH",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}`,
    action: "experiments:editVariantSettings",
    body: () => ({}),
  },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/design.md`, action: "experiments:read" },
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/clone`,
    action: "experiments:create",
    body: () => ({ key: `walk-${Math.random().toString(36).slice(2)}` }),
  },
  // The first allowed call starts (stops) the walk's draft; later ones answer 409, which is not 403 either.
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/start`,
    action: "experiments:lifecycle",
    body: () => ({}),
  },
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/stop`,
    action: "experiments:lifecycle",
    body: () => ({}),
  },
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/archive`,
    action: "experiments:lifecycle",
    body: () => ({ archived: false }),
  },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/traffic`, action: "experiments:read" },
  // The walk's experiment is stopped by now: the first allowed request creates its review, later ones answer 409.
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/decision-matrix`, action: "interactions:read" },
  {
    method: "PUT",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/decision-rules`,
    action: "experiments:edit",
    body: () => ({ preset: "clearSignals", costRatioLimit: 3 }),
  },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/reviews`, action: "experiments:read" },
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/reviews`,
    action: "decisions:request",
    body: () => ({}),
  },
  { method: "GET", path: () => "/api/v1/reviews?waiting=me", action: "experiments:read" },
  // An unknown review: allowed roles get 404, which is not 403.
  { method: "GET", path: () => "/api/v1/reviews/walk-none", action: "experiments:read" },
  { method: "POST", path: () => "/api/v1/reviews/walk-none/approve", action: "decisions:review", body: () => ({ comment: "walk" }) },
  { method: "POST", path: () => "/api/v1/reviews/walk-none/reject", action: "decisions:review", body: () => ({ comment: "walk" }) },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/judge-runs`, action: "experiments:read" },
  // An unknown endpoint: allowed roles get 400 naming the field, which is not 403.
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/judge-runs`,
    action: "judge:run",
    body: () => ({ endpoint: "walk-no-such-endpoint" }),
  },
  { method: "GET", path: () => "/api/v1/judge-runs/walk-none", action: "experiments:read" },
  // An unknown endpoint: allowed roles get 400 naming the field, which is not 403.
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/pairwise`,
    action: "judge:run",
    body: () => ({ endpoint: "walk-no-such-endpoint", variant: "B" }),
  },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/judge-agreement`, action: "interactions:read" },
  { method: "POST", path: () => "/api/v1/judge-runs/walk-none/cancel", action: "judge:run" },
  // A dataset with no name: allowed roles get 400 naming the field, which is not 403.
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/datasets`,
    action: "datasets:manage",
    body: () => ({ mode: "random" }),
  },
  { method: "GET", path: () => "/api/v1/datasets", action: "interactions:read" },
  { method: "GET", path: () => "/api/v1/datasets/walk-none", action: "interactions:read" },
  { method: "GET", path: () => "/api/v1/datasets/walk-none/download", action: "interactions:read" },
  { method: "DELETE", path: () => "/api/v1/datasets/walk-none", action: "datasets:manage" },
  // Load testing: allowed roles get 400 (no name, no settings) or 404 (no such run or trace), which is not 403.
  { method: "GET", path: () => "/api/v1/traces", action: "loadRuns:read" },
  { method: "POST", path: () => "/api/v1/traces", action: "loadRuns:run", body: () => ({}) },
  { method: "GET", path: () => "/api/v1/traces/walk-none", action: "loadRuns:read" },
  { method: "GET", path: () => "/api/v1/traces/walk-none/download", action: "loadRuns:read" },
  { method: "POST", path: () => "/api/v1/traces/from-dataset", action: "loadRuns:run", body: () => ({}) },
  { method: "GET", path: () => "/api/v1/load-runs", action: "loadRuns:read" },
  { method: "POST", path: () => "/api/v1/load-runs", action: "loadRuns:run", body: () => ({}) },
  { method: "GET", path: () => "/api/v1/load-runs/walk-none", action: "loadRuns:read" },
  { method: "GET", path: () => "/api/v1/load-runs/walk-none/results", action: "loadRuns:read" },
  { method: "GET", path: () => "/api/v1/load-runs/walk-none/trace", action: "loadRuns:read" },
  { method: "POST", path: () => "/api/v1/load-runs/walk-none/cancel", action: "loadRuns:run", body: () => ({}) },
  { method: "POST", path: () => "/api/v1/load-runs/import", action: "loadRuns:run", body: () => ({}) },
  { method: "GET", path: () => "/api/v1/load-runs/compare", action: "loadRuns:read" },
  { method: "GET", path: () => "/api/v1/rubrics", action: "rubrics:read" },
  { method: "GET", path: () => "/api/v1/rubrics/default", action: "rubrics:read" },
  // The default rubric sent back as it is: allowed roles get 200 and no new version, which is not 403.
  {
    method: "POST",
    path: () => "/api/v1/rubrics",
    action: "rubrics:manage",
    body: () => ({ name: "default", criteria: DEFAULT_RUBRIC.criteria }),
  },
  // An unknown endpoint: allowed roles get 400 naming the field, which is not 403.
  {
    method: "POST",
    path: () => "/api/v1/rubrics/try",
    action: "judge:run",
    body: () => ({ rubric: { name: "default" }, endpoint: "walk-no-such-endpoint", userInput: "q", modelOutput: "a" }),
  },
  { method: "GET", path: () => "/api/v1/endpoints", action: "endpoints:read" },
  {
    method: "POST",
    path: () => "/api/v1/endpoints",
    action: "endpoints:manage",
    body: () => ({ name: `walk-${Math.random().toString(36).slice(2)}`, baseUrl: "http://127.0.0.1:9/v1" }),
  },
  // An unknown id: allowed roles get 404, which is not 403.
  { method: "PATCH", path: () => "/api/v1/endpoints/does-not-exist", action: "endpoints:manage", body: () => ({ name: "walked" }) },
  { method: "DELETE", path: () => "/api/v1/endpoints/does-not-exist", action: "endpoints:manage" },
  {
    method: "PATCH",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/traffic`,
    action: "experiments:control",
    body: () => ({ coverage: 1 }),
  },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/ramp`, action: "experiments:read" },
  {
    method: "PUT",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/ramp`,
    action: "experiments:control",
    body: () => ({ preset: "canary" }),
  },
  // The walk's design is not running: allowed roles get 409, not 403.
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/ramp/hold`,
    action: "experiments:control",
    body: () => ({}),
  },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/allocation`, action: "experiments:read" },
  {
    method: "PUT",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/allocation`,
    action: "experiments:control",
    body: () => ({ mode: "fixed" }),
  },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/webhook`, action: "experiments:control" },
  // A receiver nobody listens on: the PUT stores it, the test queues a delivery that fails in the background.
  {
    method: "PUT",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/webhook`,
    action: "experiments:control",
    body: () => ({ url: "http://127.0.0.1:9/assay" }),
  },
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/webhook/test`,
    action: "experiments:control",
    body: () => ({}),
  },
  { method: "DELETE", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/webhook`, action: "experiments:control" },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/results`, action: "interactions:read" },
  // The walk's design has no plan to simulate: allowed roles get 409, not 403.
  {
    method: "POST",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/aa`,
    action: "experiments:read",
    body: () => ({ tests: 100, peeks: 1 }),
  },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/analysis`, action: "experiments:read" },
  {
    method: "PATCH",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/analysis`,
    action: "experiments:edit",
    body: () => ({ correction: "holm" }),
  },
  // An empty batch: allowed roles get 400 (no records), not 403.
  { method: "POST", path: () => "/api/v1/uploads/interactions", action: "interactions:write", body: () => [] },
  { method: "GET", path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/interactions`, action: "interactions:read" },
  // No such interaction: allowed roles get 404, which is not 403 either.
  {
    method: "GET",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/interactions/walk-none`,
    action: "interactions:read",
  },
  {
    method: "GET",
    path: ({ experimentKey }) => `/api/v1/experiments/${experimentKey}/interactions/export?format=csv`,
    action: "interactions:read",
  },
];

// The data plane (lib/dataPlane) takes API keys only: a role without the action gets 403, any session cookie 401.
const dataPlaneRoutes: RouteCase[] = [
  { method: "POST", path: () => "/api/v1/assign", action: "traffic:assign", body: () => ({ experiment: "walk-dp", userId: "u" }) },
  {
    method: "POST",
    path: () => "/api/v1/assign/batch",
    action: "traffic:assign",
    body: () => ({ experiment: "walk-dp", users: [{ userId: "u" }] }),
  },
  { method: "GET", path: () => "/api/v1/experiments/walk-dp/config", action: "traffic:assign" },
  {
    method: "POST",
    path: () => "/api/v1/exposures",
    action: "traffic:assign",
    body: () => ({ experiment: "walk-dp", exposures: [{ userId: "u", variant: "A", inExperiment: true, reason: "hash" }] }),
  },
];

describe("permission table walk: route x role", () => {
  let creds: Awaited<ReturnType<typeof demoCredentials>>;
  let userId: string;
  const experimentKey = `walk-${Date.now().toString(36)}`;
  beforeAll(async () => {
    const experiment = await api("/api/v1/experiments", { key: inject("apiKey"), body: minimalExperimentBody(experimentKey) });
    if (experiment.status !== 201) throw new Error(`could not create the walk's experiment: ${experiment.text}`);
    creds = await demoCredentials();
    const created = await api("/api/v1/users", {
      key: inject("apiKey"),
      body: { email: `walk-target-${Date.now()}@example.com`, name: "Target", role: "REVIEWER", password: "a-long-password-1" },
    });
    userId = created.json.user.id;
  });

  for (const route of routes) {
    for (const role of ROLES) {
      for (const via of ["session", "apiKey"] as const) {
        const allowed = can(role, route.action);
        it(`${route.method} ${route.path({ userId: "{id}", experimentKey: "{key}" })} as ${role} by ${via} -> ${allowed ? "allowed" : "403"}`, async () => {
          const auth = via === "session" ? { cookie: creds[role].cookie } : { key: creds[role].key };
          const res = await api(route.path({ userId, experimentKey }), {
            method: route.method,
            ...auth,
            ...(route.body ? { body: route.body() } : {}),
          });
          if (allowed) {
            expect(res.status, res.text).not.toBe(403);
            expect(res.status, res.text).not.toBe(401);
          } else {
            expect(res.status, res.text).toBe(403);
            expect(res.json.error.code).toBe("FORBIDDEN");
          }
        });
      }
    }
  }

  it("anonymous callers get 401 on every route", async () => {
    for (const route of routes) {
      const res = await api(route.path({ userId, experimentKey }), { method: route.method, ...(route.body ? { body: route.body() } : {}) });
      expect(res.status, `${route.method} ${route.path({ userId, experimentKey })}`).toBe(401);
    }
  });
});

describe("data plane walk: route x role, API keys only", () => {
  let creds: Awaited<ReturnType<typeof demoCredentials>>;
  beforeAll(async () => {
    const body = minimalExperimentBody("walk-dp");
    const made = await api("/api/v1/experiments", { key: inject("apiKey"), body });
    if (made.status !== 201 && made.status !== 409) throw new Error(made.text);
    creds = await demoCredentials();
  });
  for (const route of dataPlaneRoutes) {
    for (const role of ROLES) {
      const allowed = can(role, route.action);
      it(`${route.method} ${route.path({ userId: "", experimentKey: "" })} as ${role} -> ${allowed ? "allowed" : "403"}; by session 401`, async () => {
        const res = await api(route.path({ userId: "", experimentKey: "" }), {
          method: route.method,
          key: creds[role].key,
          ...(route.body ? { body: route.body() } : {}),
        });
        if (allowed) expect(res.status, res.text).toBeLessThan(300);
        else {
          expect(res.status, res.text).toBe(403);
          expect(res.json.error.code).toBe("FORBIDDEN");
        }
        const bySession = await api(route.path({ userId: "", experimentKey: "" }), {
          method: route.method,
          cookie: creds[role].cookie,
          ...(route.body ? { body: route.body() } : {}),
        });
        expect(bySession.status).toBe(401);
      });
    }
  }
});

describe("the walk covers every API route with the action its file checks", () => {
  // Every (method, route file) under app/api, with the action in its withAuth(...) call, read from the source.
  const files = sourceFiles("app/api", (name) => name === "route.ts")
    .filter((file) => !file.includes("[..."))
    .flatMap((file) => {
      const template = "/" + path.relative("app", path.dirname(file)).split(path.sep).join("/");
      return [
        ...fs
          .readFileSync(file, "utf8")
          .matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = (withAuth|withPublic)(?:<[^>]*>)?\(("([^"]+)")?/g),
      ].map((m) => ({
        template,
        method: m[1],
        action: m[4] ?? null,
      }));
    });
  const matches = (template: string, concrete: string) =>
    new RegExp(`^${template.replace(/\[[^\]]+\]/g, "[^/]+")}$`).test(concrete.split("?")[0]);

  it.each(files.filter((f) => f.action !== null).map((f) => [`${f.method} ${f.template}`, f] as const))("%s is walked", (_name, file) => {
    const walked = routes.filter((r) => r.method === file.method && matches(file.template, r.path({ userId: "x", experimentKey: "x" })));
    expect(walked.length, `add ${file.method} ${file.template} to the routes table`).toBeGreaterThan(0);
    for (const r of walked) expect(r.action).toBe(file.action);
  });
});
