// Text no field may hold (U+0000, other control characters, half a UTF-16 surrogate pair), text a name may not hold
// (invisible and direction-changing characters), undecodable paths, LIKE wildcards in search and odd callbackUrls: every
// route answers a 4xx naming the field, never a 500, and writes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl, signIn } from "../support/http";
import { minimalExperimentBody } from "../support/experiments";

const run = Date.now().toString(36);
const adminKey = () => inject("apiKey");

/** JSON text with a raw "\ud800" escape: JSON.parse on the server turns it into a lone surrogate. */
const withLoneSurrogate = (body: unknown) => JSON.stringify(body).replace("@@LONE@@", "\\ud800");
const TEXT_VALUES: [string, string][] = [
  ["NUL", "a\u0000b"],
  ["a control character", "a\u0007b"],
  ["a lone surrogate", "@@LONE@@"],
  // Re-ordering controls make a hypothesis or prompt read differently from what is stored ("Trojan Source").
  ["a right-to-left override", "evil\u202Etxt.exe"],
  ["a left-to-right isolate", "a\u2066b"],
];
const NAME_ONLY_VALUES: [string, string][] = [
  ["a zero-width space", "pay\u200Bpal"],
  ["a line break", "two\nlines"],
];

let pmKey: string;
let userId: string;
const draftKey = `unsafe-${run}`;
const runningKey = `unsafe-running-${run}`;

beforeAll(async () => {
  const pm = (await signIn("pm@assay.local", DEMO_PASSWORD))!;
  pmKey = (await api("/api/v1/api-keys", { cookie: pm, body: { name: `unsafe text ${run}` } })).json.key;
  for (const key of [draftKey, runningKey]) {
    const body: any = minimalExperimentBody(key);
    body.hypothesis = { change: "the prompt", expectation: "more help", reason: "structure" };
    expect((await api("/api/v1/experiments", { key: pmKey, body })).status).toBe(201);
  }
  expect((await api(`/api/v1/experiments/${runningKey}/start`, { key: pmKey, method: "POST" })).status).toBe(200);
  userId = (
    await api("/api/v1/users", {
      key: adminKey(),
      body: { email: `unsafe-${run}@example.com`, name: "Unsafe Target", role: "REVIEWER", password: "a-long-password-1" },
    })
  ).json.user.id;
});

interface BodyCase {
  route: string;
  method: string;
  key: () => string;
  body: (value: string) => unknown;
  field: string;
  name: boolean;
}

// Every text field of every route that takes a body (the experiment design's fields are walked in experiments-malformed).
const BODY_CASES: BodyCase[] = [
  {
    route: "/api/v1/users",
    method: "POST",
    key: adminKey,
    body: (v) => ({ email: `u-${run}@example.com`, name: v, role: "PM", password: "a-long-password-1" }),
    field: "name",
    name: true,
  },
  {
    route: "/api/v1/users",
    method: "POST",
    key: adminKey,
    body: (v) => ({ email: `${v}@example.com`, name: "X", role: "PM", password: "a-long-password-1" }),
    field: "email",
    name: true,
  },
  { route: "/api/v1/users/{id}", method: "PATCH", key: adminKey, body: (v) => ({ name: v }), field: "name", name: true },
  { route: "/api/v1/api-keys", method: "POST", key: () => pmKey, body: (v) => ({ name: v }), field: "name", name: true },
  { route: "/api/v1/experiments/{key}", method: "PATCH", key: () => pmKey, body: (v) => ({ name: v }), field: "name", name: true },
  {
    route: "/api/v1/experiments/{key}",
    method: "PATCH",
    key: () => pmKey,
    body: (v) => ({ description: v }),
    field: "description",
    name: false,
  },
  {
    route: "/api/v1/experiments/{key}",
    method: "PATCH",
    key: () => pmKey,
    body: (v) => ({ hypothesis: { change: v, expectation: "e", reason: "r" } }),
    field: "hypothesis.change",
    name: false,
  },
  {
    route: "/api/v1/experiments/{key}/start",
    method: "POST",
    key: () => pmKey,
    body: (v) => ({ singleVariableReason: `long enough ${v}` }),
    field: "singleVariableReason",
    name: false,
  },
  {
    route: "/api/v1/experiments/{running}/stop",
    method: "POST",
    key: () => pmKey,
    body: (v) => ({ reason: v }),
    field: "reason",
    name: false,
  },
  {
    route: "/api/v1/experiments/{key}/clone",
    method: "POST",
    key: () => pmKey,
    body: (v) => ({ key: `clone-${run}`, name: v }),
    field: "name",
    name: true,
  },
  {
    route: "/api/v1/plan",
    method: "POST",
    key: () => pmKey,
    body: (v) => ({ metric: v, baseline: 0.5, mde: 0.1 }),
    field: "metric",
    name: true,
  },
];

const pathOf = (route: string) => route.replace("{id}", userId).replace("{key}", draftKey).replace("{running}", runningKey);

describe("text fields of every route", () => {
  const cases = BODY_CASES.flatMap((c) =>
    [...TEXT_VALUES, ...(c.name ? NAME_ONLY_VALUES : [])].map(
      ([what, value]) => [`${c.method} ${c.route} ${c.field} with ${what}`, c, value] as const,
    ),
  );
  it.each(cases)("%s answers 400 naming the field and changes nothing", async (_label, c, value) => {
    const before = await api(`/api/v1/experiments/${draftKey}`, { key: pmKey });
    const res = await api(pathOf(c.route), {
      method: c.method,
      key: c.key(),
      rawBody: withLoneSurrogate(c.body(value)),
      headers: { "content-type": "application/json" },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION");
    expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toContain(c.field);
    expect(res.json.error.message).toContain(c.field);
    const after = await api(`/api/v1/experiments/${draftKey}`, { key: pmKey });
    expect(after.json.experiment.updatedAt).toBe(before.json.experiment.updatedAt);
    expect(after.json.experiment.status).toBe("DRAFT");
  });

  it("the running experiment is still running and the user and key lists hold no unsafe text", async () => {
    expect((await api(`/api/v1/experiments/${runningKey}`, { key: pmKey })).json.experiment.status).toBe("RUNNING");
    const users = (await api("/api/v1/users", { key: adminKey() })).text;
    const keys = (await api("/api/v1/api-keys", { key: pmKey })).text;
    for (const text of [users, keys]) expect(text).not.toMatch(/\\u0000|\\u0007|\\ud800|\u202E|\u200B/);
  });
});

describe("path and query parameters", () => {
  const PATHS = [
    ["GET", "/api/v1/experiments/{p}"],
    ["PATCH", "/api/v1/experiments/{p}"],
    ["GET", "/api/v1/experiments/{p}/design.md"],
    ["POST", "/api/v1/experiments/{p}/start"],
    ["POST", "/api/v1/experiments/{p}/stop"],
    ["POST", "/api/v1/experiments/{p}/archive"],
    ["POST", "/api/v1/experiments/{p}/clone"],
    ["PATCH", "/api/v1/users/{p}"],
    ["DELETE", "/api/v1/api-keys/{p}"],
  ] as const;
  const field = (route: string) => (route.includes("{p}") && /users|api-keys/.test(route) ? "id" : "key");

  it.each(PATHS)("%s %s with U+0000 in the path answers 400 naming the parameter", async (method, route) => {
    const res = await api(route.replace("{p}", "ab%00cd"), { method, key: adminKey(), ...(method === "GET" ? {} : { body: {} }) });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues[0]).toEqual({
      field: field(route),
      message: `${field(route)} must not contain control characters; remove U+0000 at position 3`,
    });
  });

  it.each(PATHS)("%s %s with a malformed percent-escape answers a JSON 400", async (method, route) => {
    for (const bad of ["%zz", "abc%ED%A0%80", "%"]) {
      const res = await api(route.replace("{p}", bad), { method, key: adminKey(), ...(method === "GET" ? {} : { body: {} }) });
      expect(res.status, `${bad}: ${res.text}`).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.json.error).toMatchObject({ code: "VALIDATION", message: expect.stringContaining("malformed percent-escape") });
    }
  });

  it.each([
    ["/api/v1/experiments?q=%00", "q"],
    ["/api/v1/experiments?owner=a%00", "owner"],
    ["/api/v1/experiments?status=%00", "status"],
    ["/api/v1/experiments?q=%E2%80%AEevil", "q"],
    ["/api/v1/me?anything=%01", "anything"],
    ["/api/v1/users?x%00=1", "x\u0000 (query name)"],
  ])("GET %s answers 400 naming %s", async (url, name) => {
    const res = await api(url, { key: adminKey() });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues.map((i: { field: string }) => i.field)).toContain(name);
  });

  it("pages with such paths answer 404 or 400, never 500", async () => {
    const cookie = (await signIn("pm@assay.local", DEMO_PASSWORD))!;
    const get = (path: string) => fetch(`${baseUrl()}${path}`, { headers: { cookie }, redirect: "manual" });
    expect((await get("/experiments/ab%00cd")).status).toBe(404);
    expect((await get("/experiments/ab%00cd/document")).status).toBe(404);
    const bad = await get("/experiments/%zz");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("malformed percent-escape");
    const filtered = await get("/experiments?q=%00");
    expect(filtered.status).toBe(200);
    expect(await filtered.text()).toContain("Some filters were not understood and were ignored.");
  });
});

describe("search", () => {
  it("treats % and _ as the characters they are, not as wildcards", async () => {
    const names = ["50% lift", "50x lift", "5_0 lift", "5x0 lift"];
    for (const [i, n] of names.entries()) {
      const body: any = minimalExperimentBody(`search-${run}-${i}`);
      body.name = `Search ${run} ${n}`;
      expect((await api("/api/v1/experiments", { key: pmKey, body })).status).toBe(201);
    }
    const search = async (q: string) =>
      (await api(`/api/v1/experiments?q=${encodeURIComponent(q)}`, { key: pmKey })).json.experiments.map((e: { name: string }) => e.name);
    expect(await search(`${run} 50%`)).toEqual([`Search ${run} 50% lift`]);
    expect(await search(`${run} 5_0`)).toEqual([`Search ${run} 5_0 lift`]);
    expect(await search(`${run} 5\\0`)).toEqual([]);
  });
});

describe("next-auth's endpoints and odd callbackUrls", () => {
  it.each(["javascript:alert(1)", "%zz", "ftp://example.com/", "a\u0000b", "\u202E/evil"])(
    "callbackUrl=%j on a JSON endpoint answers 400 naming callbackUrl",
    async (callbackUrl) => {
      const res = await api(`/api/auth/session?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.details.issues[0].field).toBe("callbackUrl");
    },
  );

  it("on a page of next-auth it goes to the login page", async () => {
    const res = await fetch(`${baseUrl()}/api/auth/signin?callbackUrl=javascript:alert(1)`, {
      headers: { accept: "text/html" },
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
  });

  it("an odd callback-url cookie is cleared instead of breaking every sign-in", async () => {
    const res = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { cookie: "next-auth.callback-url=javascript%3Aalert(1)" } });
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie()).toContain("next-auth.callback-url=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
  });

  it("ordinary callbackUrls still work", async () => {
    for (const callbackUrl of ["/experiments", `${baseUrl()}/planner`, "https://elsewhere.example/"]) {
      const res = await api(`/api/auth/session?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      expect(res.status, res.text).toBe(200);
    }
  });
});
