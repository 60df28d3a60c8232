// What the libraries underneath would say never reaches a person: next-auth's own pages (unbranded, its error page a 500) are
// Assay's pages, and a body that is not a JSON object, or not JSON at all, is answered in words that say what to fix.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/users";
import { api, baseUrl, signIn } from "../support/http";

const key = () => inject("apiKey");
let cookie: string;

beforeAll(async () => {
  cookie = (await signIn("pm@assay.local", DEMO_PASSWORD))!;
  expect(cookie).toMatch(/^next-auth\.session-token=/);
});

/** The sentence in the login page's problem box (rendered on the server), or null. */
function shownProblem(html: string): string | null {
  const match = /<p role="alert" data-testid="sign-in-problem"[^>]*>([^<]*)<\/p>/.exec(html);
  return match ? match[1].replaceAll("&#x27;", "'") : null;
}

/** Where a redirect goes, as a path on the test stack. */
function target(res: { headers: Headers }): string {
  const url = new URL(res.headers.get("location") ?? "", baseUrl());
  return `${url.pathname}${url.search}`;
}

describe("next-auth's own pages are Assay's", () => {
  it("its error page sends the browser to the login page, which says what happened in words", async () => {
    const res = await api("/api/auth/error?error=Configuration");
    expect(res.status).toBe(302);
    expect(target(res)).toBe("/login?error=Configuration");
    const login = await api(target(res));
    expect(login.status).toBe(200);
    expect(shownProblem(login.text)).toBe(
      "Signing in is not working on this server right now: its sign-in settings are incomplete. Ask whoever runs Assay to check the server's log, then try again.",
    );
    // next-auth's own page says "Server error" / "There is a problem with the server configuration."
    expect(login.text).not.toMatch(/Server error|problem with the server configuration/);
  });

  it.each([
    ["AccessDenied", "This account may not sign in. Ask an admin of Assay to check it."],
    ["<script>alert(1)</script>", "Signing in did not work. Try again."],
  ])("?error=%s on the login page shows Assay's sentence, never the raw code", async (code, sentence) => {
    const res = await api(`/login?error=${encodeURIComponent(code)}`);
    expect(res.status).toBe(200);
    expect(shownProblem(res.text)).toBe(sentence);
    expect(res.text).not.toContain("<script>alert(1)");
  });

  it("its sign-out page is Assay's, which asks before signing out", async () => {
    const res = await api("/api/auth/signout", { cookie });
    expect(res.status).toBe(302);
    expect(target(res)).toBe("/signout");
    const page = await api("/signout", { cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain("Sign out</h1>");
    expect(page.text).toContain("pm@assay.local");
    expect(page.text).not.toContain("Are you sure you want to sign out?");
    // Signed out already: straight to the login page.
    const anonymous = await api("/signout");
    expect(anonymous.status).toBe(307);
    expect(target(anonymous)).toBe("/login");
  });

  it("its email-link page, unused by Assay, goes to the login page too", async () => {
    const res = await api("/api/auth/verify-request");
    expect(res.status).toBe(302);
    expect(target(res)).toBe("/login");
  });
});

describe("a body that is not a JSON object", () => {
  it.each([
    ["[]", "an array"],
    ["[1, 2]", "an array"],
    ["42", "a number"],
    ['"text"', "a text value"],
    ["null", "null"],
  ])("%s answers 400: the body must be a JSON object, not %s", async (rawBody, kind) => {
    const res = await api("/api/v1/experiments", { key: key(), rawBody, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({
      code: "VALIDATION",
      message: `Invalid input: the body must be a JSON object ({"name": value, …}), not ${kind}.`,
      details: { issues: [{ field: "(body)", message: `must be a JSON object ({"name": value, …}), not ${kind}` }] },
    });
  });

  it.each([
    // position 9 is the quote of 'b' (0-based), so column 10
    [
      `{"a": 1, 'b': 2}`,
      "near line 1, column 10: something that is not a JSON value (text needs double quotes; true, false and null are lower-case)",
    ],
    // the comma too many ends line 2; the } at line 3, column 1 is where a property name was expected
    ['{\n  "a": 1,\n}', "near line 3, column 1: a property name in double quotes was expected (or a comma too many before it)"],
    ['{"a": ', "at its end: a value was expected (or a comma too many before it)"],
    ['{"a" 1}', "near line 1, column 6: a colon (:) was expected after the property name"],
    ['{"a": [1 2]}', "near line 1, column 10: a comma was expected between two items"],
  ])("%j answers 400 BAD_JSON saying where and what, in words", async (rawBody, problem) => {
    const res = await api("/api/v1/experiments", { key: key(), rawBody, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("BAD_JSON");
    expect(res.json.error.message).toBe(`Request body is not valid JSON ${problem}. Fix it and send it again.`);
    expect(res.json.error.message).not.toMatch(/position \d|Unexpected token|in JSON at/);
  });
});
