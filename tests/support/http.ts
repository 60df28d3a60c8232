import { inject } from "vitest";

/** The running test stack's base URL. */
export const baseUrl = () => inject("baseUrl");

/** fetch against the test stack with an optional API key or session cookie. */
export async function api(
  pathname: string,
  init: { method?: string; key?: string; cookie?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key !== undefined) headers.authorization = `Bearer ${init.key}`;
  if (init.cookie) headers.cookie = init.cookie;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${baseUrl()}${pathname}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Posts email and password to next-auth's real credentials callback, with its CSRF token, and returns its answer. */
export async function postCredentials(email: string, password: string, base = baseUrl()): Promise<Response> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    redirect: "manual",
  });
}

/** Signs in through next-auth's real credentials flow and returns the session cookie header (`base`: another app than the test stack). */
export async function signIn(email: string, password: string, base = baseUrl()): Promise<string | null> {
  const res = await postCredentials(email, password, base);
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("next-auth.session-token="));
  return session ?? null;
}
