// Where a request comes from, as the server sees it: the host it was sent to (sign-in and sign-out redirects follow it when
// NEXTAUTH_URL is unset, as in this stack), the site that sent it (cookie-authenticated changes must come from Assay's own
// pages) and the client address (the per-address sign-in limit believes forwarded headers only from trusted proxies).
import http from "node:http";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl, signIn } from "../support/http";

const run = Date.now().toString(36);
const port = () => new URL(baseUrl()).port;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with full control of the Host header and of the local address it is sent from. */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: port(), path, method: opts.method ?? "GET", headers: opts.headers, localAddress: opts.localAddress },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

const cookiesOf = (res: RawResponse) => (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");

/** next-auth's credentials sign-in over raw HTTP: the JSON answer's url and the session cookie, if any. */
async function rawSignIn(
  email: string,
  password: string,
  opts: { host?: string; localAddress?: string; headers?: Record<string, string> } = {},
) {
  const host = opts.host ?? `127.0.0.1:${port()}`;
  const csrf = await raw("/api/auth/csrf", { headers: { host }, localAddress: opts.localAddress });
  const { csrfToken } = JSON.parse(csrf.body);
  const res = await raw("/api/auth/callback/credentials", {
    method: "POST",
    localAddress: opts.localAddress,
    headers: { host, "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf), ...opts.headers },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: "/experiments" }).toString(),
  });
  const session = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).find((c) => c.startsWith("next-auth.session-token="));
  return { url: JSON.parse(res.body).url as string, session };
}

describe("sign-in and sign-out redirects follow the host the user came from (NEXTAUTH_URL unset)", () => {
  it.each(["127.0.0.1", "localhost", "assay.internal"])("via %s", async (name) => {
    const host = `${name}:${port()}`;
    const signedIn = await rawSignIn("pm@assay.local", DEMO_PASSWORD, { host });
    expect(signedIn.session).toBeTruthy();
    expect(signedIn.url).toBe(`http://${host}/experiments`);
    const csrf = await raw("/api/auth/csrf", { headers: { host, cookie: signedIn.session! } });
    const out = await raw("/api/auth/signout", {
      method: "POST",
      headers: { host, "content-type": "application/x-www-form-urlencoded", cookie: `${signedIn.session}; ${cookiesOf(csrf)}` },
      body: new URLSearchParams({ csrfToken: JSON.parse(csrf.body).csrfToken, callbackUrl: "/login", json: "true" }).toString(),
    });
    expect(out.status, out.body).toBe(200);
    expect(JSON.parse(out.body).url).toBe(`http://${host}/login`);
    // A failed sign-in's error page is on that host too.
    expect((await rawSignIn("pm@assay.local", "wrong-password", { host })).url).toMatch(
      new RegExp(`^http://${host}/api/auth/error\\?error=`),
    );
  });

  it("a forged X-Forwarded-Host from a client that is not a trusted proxy is ignored", async () => {
    const host = `127.0.0.1:${port()}`;
    const res = await rawSignIn("pm@assay.local", DEMO_PASSWORD, { host, headers: { "x-forwarded-host": "evil.example" } });
    expect(res.url).toBe(`http://${host}/experiments`);
  });
});

describe("cookie-authenticated changes must come from Assay's own pages (CSRF)", () => {
  const newKey = (cookie: string, headers: Record<string, string>) =>
    api("/api/v1/api-keys", { cookie, body: { name: `origin ${run}` }, headers });

  it.each([
    [{ origin: "http://127.0.0.1:1" }, "it came from http://127.0.0.1:1, not from Assay's own pages"],
    [{ origin: "https://evil.example" }, "it came from https://evil.example"],
    [{ origin: "null" }, "it came from a page with a hidden origin"],
    [{ "sec-fetch-site": "same-site" }, "the browser says it came from another site (Sec-Fetch-Site: same-site)"],
    [{ "sec-fetch-site": "cross-site", origin: baseUrl() }, "Sec-Fetch-Site: cross-site"],
  ])("%j is refused with 403 saying why", async (headers, why) => {
    const cookie = (await signIn("pm@assay.local", DEMO_PASSWORD))!;
    const before = (await api("/api/v1/api-keys", { cookie })).json.apiKeys.length;
    const res = await newKey(cookie, headers);
    expect(res.status, res.text).toBe(403);
    expect(res.json.error.code).toBe("FORBIDDEN");
    expect(res.json.error.message).toContain(why);
    expect(res.json.error.message).toContain("API key");
    expect((await api("/api/v1/api-keys", { cookie })).json.apiKeys.length).toBe(before);
  });

  it("its own origin, the host the request was sent to, and non-browser clients are accepted", async () => {
    const cookie = (await signIn("pm@assay.local", DEMO_PASSWORD))!;
    expect((await newKey(cookie, { origin: baseUrl(), "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await newKey(cookie, {})).status).toBe(201);
    const viaLocalhost = await raw("/api/v1/api-keys", {
      method: "POST",
      headers: { host: `localhost:${port()}`, origin: `http://localhost:${port()}`, cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "via localhost" }),
    });
    expect(viaLocalhost.status, viaLocalhost.body).toBe(201);
    // Reads are never refused for their origin.
    expect((await api("/api/v1/me", { cookie, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } })).status).toBe(
      200,
    );
  });

  it("API-key requests are unaffected by Origin", async () => {
    const res = await api("/api/v1/api-keys", {
      key: inject("apiKey"),
      body: { name: "x" },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    // The bootstrap key has no user, so it may not create keys: a 403 for that reason, not for the origin.
    expect(res.json.error.message).toBe("The bootstrap key cannot create keys; sign in as a user.");
    const user = await api("/api/v1/users", {
      key: inject("apiKey"),
      body: { email: `origin-${run}@example.com`, name: "By key", role: "PM", password: "a-long-password-1" },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(user.status, user.text).toBe(201);
  });

  it("a body without Content-Type: application/json is refused with 415, whoever sends it", async () => {
    const cookie = (await signIn("pm@assay.local", DEMO_PASSWORD))!;
    for (const auth of [{ cookie }, { key: inject("apiKey") }]) {
      const res = await api("/api/v1/plan", { ...auth, method: "POST", rawBody: '{"metric":"proportion","baseline":0.5,"mde":0.1}' });
      expect(res.status, res.text).toBe(415);
      expect(res.json.error.message).toContain("Content-Type: text/plain");
    }
    const none = await raw("/api/v1/plan", {
      method: "POST",
      headers: { cookie },
      body: '{"metric":"proportion","baseline":0.5,"mde":0.1}',
    });
    expect(none.status).toBe(415);
    expect(JSON.parse(none.body).error.message).toContain("this request had no Content-Type");
    // An empty HTML form (no body, form type) is not JSON either.
    const form = await api("/api/v1/experiments/no-such/start", {
      key: inject("apiKey"),
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
  });

  it("next-auth's own sign-out refuses another site too", async () => {
    const res = await api("/api/auth/signout", {
      method: "POST",
      rawBody: "csrfToken=x&json=true",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:1" },
    });
    expect(res.status).toBe(403);
  });
});

describe("the per-address sign-in limit", () => {
  it("80 failures with a rotating X-Forwarded-For from a client that is not a trusted proxy are limited after 50", async () => {
    const from = "127.0.0.2"; // a loopback address of its own, so this test's failures count against no other test
    const answers: string[] = [];
    for (let i = 0; i < 80; i++) {
      const forged = `203.0.113.${i % 250}`;
      const res = await rawSignIn(`nobody-${run}-${i}@example.com`, "wrong", {
        localAddress: from,
        headers: { "x-forwarded-for": forged, "x-real-ip": forged, "x-assay-client-address": forged },
      });
      answers.push(new URL(res.url).searchParams.get("error") ?? "");
    }
    // ASSAY_LOGIN_MAX_FAILURES is 10: 5 x 10 failures per address, then refusal.
    expect(answers.slice(0, 50).every((a) => a === "Email or password is incorrect.")).toBe(true);
    expect(answers.slice(50)).toEqual(Array(30).fill("Too many failed sign-in attempts. Wait 15 minutes and try again."));
    // From that address even the right password is refused now; from another address it works.
    expect((await rawSignIn("pm@assay.local", DEMO_PASSWORD, { localAddress: from })).session).toBeUndefined();
    expect(await signIn("pm@assay.local", DEMO_PASSWORD)).not.toBeNull();
    // The attempts were recorded under the socket address, never under a forged one.
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT ip, count(*)::int AS n FROM "LoginAttempt" WHERE email LIKE $1 GROUP BY ip`, [
        `nobody-${run}-%`,
      ]);
      expect(rows).toEqual([{ ip: from, n: 50 }]);
    } finally {
      await client.end();
    }
  });
});
