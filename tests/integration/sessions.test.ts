// The session cookie ends on the server: signing out revokes the session it names, so a copy of the cookie (kept by an
// attacker, a shared machine or a browser that failed to delete it) stops working at once, not after its 12 hours.
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl, signIn } from "../support/http";

/** Signs out through next-auth's real endpoint (CSRF token and all) with this session cookie. */
async function signOut(session: string): Promise<number> {
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { cookie: session } });
  const { csrfToken } = await csrf.json();
  const cookies = [session, ...csrf.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
  const res = await fetch(`${baseUrl()}/api/auth/signout`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/login", json: "true" }),
    redirect: "manual",
  });
  return res.status;
}

async function query(sql: string, values: unknown[]): Promise<any[]> {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function liveSessions(email: string): Promise<number> {
  const rows = await query(
    `SELECT count(*)::int AS n FROM "UserSession" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 AND s."revokedAt" IS NULL AND s."expiresAt" > now()`,
    [email],
  );
  return rows[0].n;
}

describe("sign-out ends the session on the server", () => {
  it("the old cookie is refused by the API and the pages at once; another session of the same user goes on", async () => {
    const email = `session-${Date.now()}@example.com`;
    const created = await api("/api/v1/users", {
      key: inject("apiKey"),
      body: { email, name: "Session Holder", role: "PM", password: "a-long-password-1" },
    });
    expect(created.status).toBe(201);
    const first = (await signIn(email, "a-long-password-1"))!;
    const second = (await signIn(email, "a-long-password-1"))!;
    expect(await liveSessions(email)).toBe(2);
    expect((await api("/api/v1/me", { cookie: first })).status).toBe(200);

    expect(await signOut(first)).toBe(200);
    const after = await api("/api/v1/me", { cookie: first });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe("UNAUTHENTICATED");
    const page = await fetch(`${baseUrl()}/experiments`, { headers: { cookie: first }, redirect: "manual" });
    expect([302, 303, 307]).toContain(page.status);
    expect(new URL(page.headers.get("location")!, baseUrl()).pathname).toBe("/login");
    expect(await liveSessions(email)).toBe(1);

    // The other browser's session is untouched.
    expect((await api("/api/v1/me", { cookie: second })).json).toMatchObject({ via: "session", email });
  });

  it("disabling a user ends every session at once, and enabling them again does not revive one", async () => {
    const email = `session-disable-${Date.now()}@example.com`;
    const id = (
      await api("/api/v1/users", {
        key: inject("apiKey"),
        body: { email, name: "Soon Disabled", role: "PM", password: "a-long-password-1" },
      })
    ).json.user.id;
    const cookies = [(await signIn(email, "a-long-password-1"))!, (await signIn(email, "a-long-password-1"))!];
    for (const cookie of cookies) expect((await api("/api/v1/me", { cookie })).status).toBe(200);
    expect((await api(`/api/v1/users/${id}`, { method: "PATCH", key: inject("apiKey"), body: { disabled: true } })).status).toBe(200);
    for (const cookie of cookies) expect((await api("/api/v1/me", { cookie })).status).toBe(401);
    expect(await liveSessions(email)).toBe(0);

    expect((await api(`/api/v1/users/${id}`, { method: "PATCH", key: inject("apiKey"), body: { disabled: false } })).status).toBe(200);
    for (const cookie of cookies) expect((await api("/api/v1/me", { cookie })).status).toBe(401);
    // Signing in again opens a new session.
    const fresh = (await signIn(email, "a-long-password-1"))!;
    expect((await api("/api/v1/me", { cookie: fresh })).json).toMatchObject({ via: "session", email });
  });

  it("a sign-in drops the user's expired sessions, so the table does not grow without end", async () => {
    const email = `session-expired-${Date.now()}@example.com`;
    const id = (
      await api("/api/v1/users", { key: inject("apiKey"), body: { email, name: "Long Gone", role: "PM", password: "a-long-password-1" } })
    ).json.user.id;
    const expiredId = `expired-${Date.now()}`;
    await query(`INSERT INTO "UserSession" (id, "userId", "expiresAt") VALUES ($1, $2, now() - interval '1 minute')`, [expiredId, id]);
    expect(await signIn(email, "a-long-password-1")).toBeTruthy();
    expect(await query(`SELECT id FROM "UserSession" WHERE id = $1`, [expiredId])).toEqual([]);
    expect(await liveSessions(email)).toBe(1);
  });
});

describe("signed-in answers are never cached", () => {
  it("API reads (and errors) by session or key carry Cache-Control: no-store", async () => {
    const cookie = (await signIn("reviewer@assay.local", DEMO_PASSWORD))!;
    for (const path of ["/api/v1/me", "/api/v1/experiments", "/api/v1/experiments/support-persona-structured", "/api/v1/api-keys"]) {
      const res = await api(path, { cookie });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
    const md = await api("/api/v1/experiments/support-persona-structured/design.md", { key: inject("apiKey") });
    expect(md.headers.get("cache-control")).toBe("no-store");
    const missing = await api("/api/v1/experiments/no-such-experiment", { cookie });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("no-store");
  });

  it("API answers forbid running or framing anything, errors and the front door's own answers included", async () => {
    const policy = "default-src 'none'; frame-ancestors 'none'; sandbox";
    const answers = [
      await api("/api/v1/health"),
      await api("/api/v1/experiments/support-persona-structured/design.md", { key: inject("apiKey") }),
      await api("/api/v1/experiments/no-such-experiment", { key: inject("apiKey") }),
      await api("/api/v1/me"),
      await api("/api/v1/experiments/%zz", { key: inject("apiKey") }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 404, 401, 400]);
    for (const res of answers) expect(res.headers.get("content-security-policy")).toBe(policy);
  });
});
