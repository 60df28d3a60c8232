import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl, signIn } from "../support/http";
import { demoCredentials } from "../support/roles";

const adminKey = () => inject("apiKey");

describe("health", () => {
  it("reports db, queue and a worker that really ran its heartbeat job", async () => {
    const deadline = Date.now() + 30_000;
    let body: any;
    do {
      body = (await api("/api/v1/health")).json;
      if (body.worker === "ok") break;
      await new Promise((r) => setTimeout(r, 500));
    } while (Date.now() < deadline);
    expect(body).toMatchObject({ status: "ok", db: "ok", queue: "ok", worker: "ok", version: "0.1.0" });
    expect(Date.now() - new Date(body.workerLastSeen).getTime()).toBeLessThan(60_000);
  });
});

describe("API keys", () => {
  let creds: Awaited<ReturnType<typeof demoCredentials>>;
  beforeAll(async () => {
    creds = await demoCredentials();
  });

  it("the bootstrap key acts as an admin", async () => {
    const res = await api("/api/v1/me", { key: adminKey() });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ via: "apiKey", role: "ADMIN", apiKeyPrefix: adminKey().slice(0, 14) });
  });

  it("a user's key acts with that user's role, and lists show only the prefix", async () => {
    const me = await api("/api/v1/me", { key: creds.ENGINEER.key });
    expect(me.json).toMatchObject({ via: "apiKey", role: "ENGINEER", email: "engineer@assay.local" });
    const list = await api("/api/v1/api-keys", { cookie: creds.ENGINEER.cookie });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(creds.ENGINEER.key);
    expect(list.json.apiKeys.some((k: any) => creds.ENGINEER.key.startsWith(k.prefix))).toBe(true);
  });

  it("a session answers /me too", async () => {
    const me = await api("/api/v1/me", { cookie: creds.REVIEWER.cookie });
    expect(me.json).toMatchObject({ via: "session", role: "REVIEWER", email: "reviewer@assay.local" });
  });

  it("a wrong key of the right shape is refused", async () => {
    const res = await api("/api/v1/me", { key: "assay_" + "x".repeat(43) });
    expect(res.status).toBe(401);
    expect(res.json.error).toMatchObject({ code: "UNAUTHENTICATED", message: "Invalid API key." });
  });

  it.each([
    ["Token abc", "Malformed Authorization header"],
    ["Bearer", "Malformed Authorization header"],
    ["Bearer a b", "Malformed Authorization header"],
    ["Bearer sk-1234567890", "Malformed API key"],
    ["Bearer assay_short", "Malformed API key"],
  ])("a malformed header %j is refused with a message", async (header, message) => {
    const res = await api("/api/v1/me", { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain(message);
  });

  it("a revoked key stops working at once", async () => {
    const created = await api("/api/v1/api-keys", { cookie: creds.PM.cookie, body: { name: "to revoke" } });
    expect(created.status).toBe(201);
    expect((await api("/api/v1/me", { key: created.json.key })).status).toBe(200);
    const revoked = await api(`/api/v1/api-keys/${created.json.apiKey.id}`, { method: "DELETE", cookie: creds.PM.cookie });
    expect(revoked.status).toBe(200);
    const after = await api("/api/v1/me", { key: created.json.key });
    expect(after.status).toBe(401);
    expect(after.json.error.message).toContain("revoked");
    // Someone else cannot revoke (or learn about) another user's key.
    const other = await api("/api/v1/api-keys", { cookie: creds.ENGINEER.cookie, body: { name: "engineer key" } });
    const foreign = await api(`/api/v1/api-keys/${other.json.apiKey.id}`, { method: "DELETE", cookie: creds.PM.cookie });
    expect(foreign.status).toBe(404);
    expect((await api("/api/v1/me", { key: other.json.key })).status).toBe(200);
  });
});

describe("sign-in", () => {
  it("a wrong password and an unknown email get the same answer", async () => {
    const post = async (email: string, password: string) => {
      const csrf = await fetch(`${baseUrl()}/api/auth/csrf`);
      const { csrfToken } = await csrf.json();
      const cookie = csrf.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const res = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
        redirect: "manual",
      });
      const body = await res.json();
      return {
        status: res.status,
        error: new URL(body.url).searchParams.get("error"),
        session: res.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token=")),
      };
    };
    const wrong = await post("pm@assay.local", "not-the-password");
    const unknown = await post("nobody@assay.local", "not-the-password");
    expect(wrong.session).toBe(false);
    expect(unknown.session).toBe(false);
    expect(wrong.error).toBe("Email or password is incorrect.");
    expect(unknown).toEqual(wrong);
  });

  it("refuses further attempts after 10 failures in 15 minutes, even with the right password", async () => {
    const email = `ratelimit-${Date.now()}@example.com`;
    const password = "correct-horse-battery";
    const created = await api("/api/v1/users", { key: adminKey(), body: { email, name: "Rate Limited", role: "PM", password } });
    expect(created.status).toBe(201);
    expect(await signIn(email, password)).not.toBeNull();
    for (let i = 0; i < 10; i++) expect(await signIn(email, "wrong-password-" + i)).toBeNull();
    expect(await signIn(email, password)).toBeNull();
    // Another account is unaffected.
    expect(await signIn("pm@assay.local", DEMO_PASSWORD)).not.toBeNull();
  });
});

describe("users (admin)", () => {
  it("an admin creates a user and changes the role; the new role applies at once", async () => {
    const email = `new-${Date.now()}@example.com`;
    const created = await api("/api/v1/users", {
      key: adminKey(),
      body: { email, name: "New Person", role: "REVIEWER", password: "a-long-password-1" },
    });
    expect(created.status).toBe(201);
    expect(created.json.user).toMatchObject({ email, role: "REVIEWER" });
    expect(created.text).not.toContain("passwordHash");
    const cookie = (await signIn(email, "a-long-password-1"))!;
    expect((await api("/api/v1/me", { cookie })).json.role).toBe("REVIEWER");
    const patched = await api(`/api/v1/users/${created.json.user.id}`, { method: "PATCH", key: adminKey(), body: { role: "ENGINEER" } });
    expect(patched.status).toBe(200);
    expect((await api("/api/v1/me", { cookie: cookie! })).json.role).toBe("ENGINEER");
    const duplicate = await api("/api/v1/users", {
      key: adminKey(),
      body: { email, name: "Again", role: "PM", password: "a-long-password-1" },
    });
    expect(duplicate.status).toBe(409);
  });

  it("disabling a user ends their session and their API keys at once; enabling restores them", async () => {
    const email = `disable-${Date.now()}@example.com`;
    const created = await api("/api/v1/users", {
      key: adminKey(),
      body: { email, name: "To Disable", role: "ENGINEER", password: "a-long-password-1" },
    });
    const cookie = (await signIn(email, "a-long-password-1"))!;
    const key = (await api("/api/v1/api-keys", { cookie, body: { name: "soon disabled" } })).json.key;
    expect((await api("/api/v1/me", { key })).status).toBe(200);
    expect(
      (await api(`/api/v1/users/${created.json.user.id}`, { method: "PATCH", key: adminKey(), body: { disabled: true } })).status,
    ).toBe(200);
    expect((await api("/api/v1/me", { cookie })).status).toBe(401);
    expect((await api("/api/v1/me", { key })).status).toBe(401);
    expect(await signIn(email, "a-long-password-1")).toBeNull();
    expect(
      (await api(`/api/v1/users/${created.json.user.id}`, { method: "PATCH", key: adminKey(), body: { disabled: false } })).status,
    ).toBe(200);
    expect((await api("/api/v1/me", { key })).status).toBe(200);
  });

  it("an admin cannot demote or disable themself", async () => {
    const creds = await demoCredentials();
    const me = (await api("/api/v1/me", { cookie: creds.ADMIN.cookie })).json;
    const res = await api(`/api/v1/users/${me.userId}`, { method: "PATCH", cookie: creds.ADMIN.cookie, body: { role: "PM" } });
    expect(res.status).toBe(409);
    expect((await api("/api/v1/me", { cookie: creds.ADMIN.cookie })).json.role).toBe("ADMIN");
  });

  it("ten simultaneous creates of one email give one 201 and nine 409s, never a 500", async () => {
    const email = `race-${Date.now()}@example.com`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        api("/api/v1/users", { key: adminKey(), body: { email, name: "Race", role: "PM", password: "a-long-password-1" } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
  });

  it.each([
    [{ email: "not-an-email", name: "X", role: "PM", password: "a-long-password-1" }, "email"],
    [{ email: "a@b.co", name: "", role: "PM", password: "a-long-password-1" }, "name"],
    [{ email: "a@b.co", name: "X", role: "OWNER", password: "a-long-password-1" }, "role"],
    [{ email: "a@b.co", name: "X", role: "PM", password: "short" }, "password"],
    [{ email: "a@b.co", name: "X", role: "PM", password: "a-long-password-1", isAdmin: true }, "isAdmin"],
    [{ email: "a@b.co", name: "X".repeat(5000), role: "PM", password: "a-long-password-1" }, "name"],
  ])("a bad user body %# is refused naming %s", async (body, field) => {
    const res = await api("/api/v1/users", { key: adminKey(), body });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION");
    expect(res.json.error.details.issues.map((i: any) => i.field).join(",")).toContain(field);
    expect(res.json.error.message).toContain(field);
  });
});

describe("pages", () => {
  it("carry security headers and never a framework banner", async () => {
    const res = await fetch(`${baseUrl()}/login`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("an anonymous request for a page is redirected to the login page with the way back", async () => {
    const res = await fetch(`${baseUrl()}/experiments?status=RUNNING`, { redirect: "manual" });
    expect([302, 303, 307]).toContain(res.status);
    const location = new URL(res.headers.get("location")!, baseUrl());
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("callbackUrl")).toBe("/experiments?status=RUNNING");
  });
});

describe("bad bodies on the user and key routes", () => {
  let userId: string;
  let pmCookie: string;
  beforeAll(async () => {
    const created = await api("/api/v1/users", {
      key: adminKey(),
      body: { email: `patch-${Date.now()}@example.com`, name: "Patch Me", role: "PM", password: "a-long-password-1" },
    });
    userId = created.json.user.id;
    pmCookie = (await signIn("pm@assay.local", DEMO_PASSWORD))!;
  });

  it.each([
    [{ role: "OWNER" }, "role"],
    [{ disabled: "yes" }, "disabled"],
    [{ name: "" }, "name"],
    [{ isAdmin: true }, "isAdmin"],
    [{}, "(body)"],
  ])("PATCH /users/{id} with %j answers 400 naming %s and changes nothing", async (body, field) => {
    const res = await api(`/api/v1/users/${userId}`, { method: "PATCH", key: adminKey(), body });
    expect(res.status).toBe(400);
    expect(res.json.error.details.issues.map((i: any) => i.field)).toContain(field);
    const user = (await api("/api/v1/users", { key: adminKey() })).json.users.find((u: any) => u.id === userId);
    expect(user).toMatchObject({ name: "Patch Me", role: "PM", disabled: false });
  });

  it("PATCH of a user that does not exist answers 404", async () => {
    const res = await api("/api/v1/users/no-such-user", { method: "PATCH", key: adminKey(), body: { role: "PM" } });
    expect(res.status).toBe(404);
  });

  it.each([
    [{ name: "" }, "name"],
    [{ name: "k".repeat(101) }, "name"],
    [{ name: 42 }, "name"],
    [{ name: "ok", role: "ADMIN" }, "role"],
  ])("POST /api-keys with %j answers 400 naming %s and creates no key", async (body, field) => {
    const before = (await api("/api/v1/api-keys", { cookie: pmCookie })).json.apiKeys.length;
    const res = await api("/api/v1/api-keys", { cookie: pmCookie, body });
    expect(res.status).toBe(400);
    expect(res.json.error.details.issues.map((i: any) => i.field)).toContain(field);
    expect((await api("/api/v1/api-keys", { cookie: pmCookie })).json.apiKeys.length).toBe(before);
  });
});

describe("bad requests", () => {
  it.each(["GET", "POST", "DELETE"])("unknown /api routes answer 404 JSON (%s)", async (method) => {
    const res = await api("/api/v1/does-not-exist/123", { method, key: adminKey() });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.json.error.code).toBe("NOT_FOUND");
  });

  it("a non-JSON body answers 400 with a message", async () => {
    const res = await api("/api/v1/users", { key: adminKey(), rawBody: "{not json", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("BAD_JSON");
    expect(res.json.error.message).toMatch(/not valid JSON/);
  });

  it("an empty body answers 400", async () => {
    const res = await api("/api/v1/users", {
      key: adminKey(),
      method: "POST",
      rawBody: "",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
  });

  it("a body of another type answers 415", async () => {
    const res = await api("/api/v1/users", {
      key: adminKey(),
      rawBody: "email=a",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
  });

  it("an oversized body answers 413 and writes nothing", async () => {
    const big = JSON.stringify({ email: "big@example.com", name: "x".repeat(2 * 1024 * 1024), role: "PM", password: "a-long-password-1" });
    const res = await api("/api/v1/users", { key: adminKey(), rawBody: big, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("PAYLOAD_TOO_LARGE");
    // Nothing written: no such user (counting all users would race with other files creating theirs).
    const users = (await api("/api/v1/users", { key: adminKey() })).json.users as { email: string }[];
    expect(users.some((u) => u.email === "big@example.com")).toBe(false);
  });

  it("hostile bodies never produce a stack trace", async () => {
    for (const rawBody of ["null", "[]", "1e999999", '"str"', '{"__proto__":{"role":"ADMIN"}}', "\u0000\u0001"]) {
      const res = await api("/api/v1/users", { key: adminKey(), rawBody, headers: { "content-type": "application/json" } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    }
  });
});
