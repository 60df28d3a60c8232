// The endpoints API against the real stack: create, list, change and delete model endpoints; their API keys are stored
// encrypted (the column, read with SQL, never holds the key), never returned, and every change is audited without them;
// a variant can be pointed at an endpoint, which then cannot be deleted from under it.
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/http";
import { demoCredentials } from "../support/roles";
import { minimalExperimentBody } from "../support/experiments";
import { sql } from "../support/interactionRows";

const run = Date.now().toString(36);
const SECRET = `sk-endpoint-api-test-${run}-DO-NOT-SHOW`;
let creds: Awaited<ReturnType<typeof demoCredentials>>;
const seen: string[] = [];

/** api() as an ENGINEER (or `role`), remembering every answer so the last test can look for the key in all of them. */
async function call(path: string, init: Parameters<typeof api>[1] = {}, role: keyof typeof creds = "ENGINEER") {
  const res = await api(path, { key: creds[role].key, ...init });
  seen.push(res.text, JSON.stringify([...res.headers]));
  return res;
}

beforeAll(async () => {
  creds = await demoCredentials();
});

describe("endpoints API", () => {
  let id: string;

  it("creates an endpoint: 201 with whether a key is set, never the key; the trailing slash of the base URL is dropped", async () => {
    const res = await call("/api/v1/endpoints", {
      body: { name: `vllm-${run}`, baseUrl: "http://vllm.internal:8000/v1/", apiKey: SECRET, defaultModel: "llama-4-scout" },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.endpoint).toMatchObject({
      name: `vllm-${run}`,
      baseUrl: "http://vllm.internal:8000/v1",
      defaultModel: "llama-4-scout",
      apiKeySet: true,
    });
    expect(Object.keys(res.json.endpoint).sort()).toEqual(["apiKeySet", "baseUrl", "createdAt", "defaultModel", "id", "name", "updatedAt"]);
    id = res.json.endpoint.id;
  });

  it("stores the key encrypted: the column holds AES-256-GCM ciphertext, not the key or any long piece of it", async () => {
    const [row] = await sql<{ apiKeyEncrypted: string }>(`SELECT "apiKeyEncrypted" FROM "Endpoint" WHERE id = $1`, [id]);
    expect(row.apiKeyEncrypted).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    for (let i = 0; i + 8 <= SECRET.length; i++) expect(row.apiKeyEncrypted).not.toContain(SECRET.slice(i, i + 8));
    const anywhere = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Endpoint" e WHERE e::text LIKE '%' || $1 || '%'`, [
      SECRET.slice(0, 24),
    ]);
    expect(anywhere[0].n).toBe(0);
  });

  it("lists endpoints for ADMIN, PM and ENGINEER (whether a key is set only); a REVIEWER gets 403", async () => {
    for (const role of ["ADMIN", "PM", "ENGINEER"] as const) {
      const res = await call("/api/v1/endpoints", {}, role);
      expect(res.status, res.text).toBe(200);
      expect(res.json.endpoints.find((e: { id: string }) => e.id === id)).toMatchObject({ apiKeySet: true, name: `vllm-${run}` });
    }
    expect((await call("/api/v1/endpoints", {}, "REVIEWER")).status).toBe(403);
    expect((await call("/api/v1/endpoints", { body: { name: "x", baseUrl: "http://x/v1" } }, "PM")).status).toBe(403);
  });

  it.each([
    [{ baseUrl: "http://x/v1" }, "name", "name must be text"],
    [{ name: " ", baseUrl: "http://x/v1" }, "name", "name is required"],
    [{ name: "n" }, "baseUrl", "baseUrl must be an http(s) URL, e.g. http://vllm:8000/v1"],
    [{ name: "n", baseUrl: "ftp://files.example.com/v1" }, "baseUrl", "baseUrl must be an http(s) URL, e.g. http://vllm:8000/v1"],
    [{ name: "n", baseUrl: "javascript:alert(1)" }, "baseUrl", "baseUrl must be an http(s) URL, e.g. http://vllm:8000/v1"],
    // Not a URL at all: once a 500, as the credentials check tried to read it.
    [{ name: "n", baseUrl: "not a url" }, "baseUrl", "baseUrl must be an http(s) URL, e.g. http://vllm:8000/v1"],
    [
      { name: "n", baseUrl: "http://user:pw@x/v1" },
      "baseUrl",
      "baseUrl must not hold a user name or password; put the API key in apiKey, which is stored encrypted",
    ],
    [{ name: "n", baseUrl: "http://x/v1", apiKey: "" }, "apiKey", "apiKey must not be empty"],
    [
      { name: "n", baseUrl: "http://x/v1", apiKey: "sk-1\r\nX-Injected: yes" },
      "apiKey",
      "apiKey must be one token of visible ASCII characters, without spaces or line breaks",
    ],
    [{ name: "n", baseUrl: "http://x/v1", apiKey: 42 }, "apiKey", "apiKey must be text"],
    [{ name: "n", baseUrl: "http://x/v1", region: "eu" }, "region", 'unknown field "region"; remove it'],
  ])("refuses %j with 400 naming %s", async (body, field, message) => {
    const res = await call("/api/v1/endpoints", { body });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues).toContainEqual({ field, message: expect.stringContaining(message) });
    expect(res.json.error.message).toContain(field);
  });

  it("refuses a second endpoint with the same name (409 naming the field)", async () => {
    const res = await call("/api/v1/endpoints", { body: { name: `vllm-${run}`, baseUrl: "http://other/v1" } });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toBe(`An endpoint named "vllm-${run}" already exists; choose another name.`);
  });

  it("PATCH changes only what is sent; a new key is re-encrypted, null removes it; the audit trail never holds a key", async () => {
    const before = (await sql<{ apiKeyEncrypted: string }>(`SELECT "apiKeyEncrypted" FROM "Endpoint" WHERE id = $1`, [id]))[0];
    let res = await call(`/api/v1/endpoints/${id}`, { method: "PATCH", body: { baseUrl: "https://vllm.internal/v1" } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.endpoint).toMatchObject({ baseUrl: "https://vllm.internal/v1", defaultModel: "llama-4-scout", apiKeySet: true });
    const kept = (await sql<{ apiKeyEncrypted: string }>(`SELECT "apiKeyEncrypted" FROM "Endpoint" WHERE id = $1`, [id]))[0];
    expect(kept.apiKeyEncrypted).toBe(before.apiKeyEncrypted);

    res = await call(`/api/v1/endpoints/${id}`, { method: "PATCH", body: { apiKey: `${SECRET}-2`, defaultModel: "" } });
    expect(res.json.endpoint).toMatchObject({ apiKeySet: true, defaultModel: null });
    const replaced = (await sql<{ apiKeyEncrypted: string }>(`SELECT "apiKeyEncrypted" FROM "Endpoint" WHERE id = $1`, [id]))[0];
    expect(replaced.apiKeyEncrypted).not.toBe(before.apiKeyEncrypted);
    expect(replaced.apiKeyEncrypted).not.toContain(SECRET.slice(0, 12));

    res = await call(`/api/v1/endpoints/${id}`, { method: "PATCH", body: { apiKey: null } });
    expect(res.json.endpoint.apiKeySet).toBe(false);
    expect((await sql(`SELECT "apiKeyEncrypted" FROM "Endpoint" WHERE id = $1`, [id]))[0]).toEqual({ apiKeyEncrypted: null });

    const audit = await sql<{ action: string; actorLabel: string; details: unknown }>(
      `SELECT action, "actorLabel", details FROM "AuditEvent" WHERE "entityType" = 'Endpoint' AND "entityId" = $1 ORDER BY "createdAt"`,
      [id],
    );
    expect(audit.map((a) => a.action)).toEqual(["endpoint.created", "endpoint.updated", "endpoint.updated", "endpoint.updated"]);
    expect(audit.every((a) => a.actorLabel.startsWith(creds.ENGINEER.email))).toBe(true);
    expect(audit[0].details).toEqual({
      name: `vllm-${run}`,
      baseUrl: "http://vllm.internal:8000/v1",
      defaultModel: "llama-4-scout",
      apiKeySet: true,
    });
    expect(audit[1].details).toEqual({
      name: `vllm-${run}`,
      changes: { baseUrl: { before: "http://vllm.internal:8000/v1", after: "https://vllm.internal/v1" } },
    });
    expect(audit[2].details).toEqual({
      name: `vllm-${run}`,
      changes: { defaultModel: { before: "llama-4-scout", after: null }, apiKey: { before: "set", after: "replaced" } },
    });
    expect(audit[3].details).toEqual({ name: `vllm-${run}`, changes: { apiKey: { before: "set", after: "removed" } } });
    expect(JSON.stringify(audit)).not.toContain(SECRET.slice(0, 12));
  });

  it("PATCH and DELETE of an unknown endpoint are 404; an empty PATCH is 400", async () => {
    expect((await call("/api/v1/endpoints/nope", { method: "PATCH", body: { name: "x" } })).status).toBe(404);
    expect((await call("/api/v1/endpoints/nope", { method: "DELETE" })).status).toBe(404);
    const empty = await call(`/api/v1/endpoints/${id}`, { method: "PATCH", body: {} });
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toContain("send at least one of name, baseUrl, apiKey, defaultModel");
  });

  it("a variant points at an endpoint by endpointId; an unknown id or both endpoint and endpointId are 400 naming the field; an endpoint in use cannot be deleted", async () => {
    const key = `ep-${run}`;
    const body = minimalExperimentBody(key);
    Object.assign(body.variants[0].config, { endpointId: "no-such-endpoint" });
    let res = await call("/api/v1/experiments", { body }, "PM");
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.issues).toEqual([
      {
        field: "variants.0.config.endpointId",
        message: 'no endpoint has the id "no-such-endpoint"; pick one in Settings > Endpoints (GET /api/v1/endpoints lists them)',
      },
    ]);
    Object.assign(body.variants[0].config, { endpointId: id, endpoint: "http://x/v1" });
    res = await call("/api/v1/experiments", { body }, "PM");
    expect(res.status).toBe(400);
    expect(res.json.error.details.issues).toEqual([
      { field: "variants.0.config.endpointId", message: "set endpoint (a base URL) or endpointId (a managed endpoint), not both" },
    ]);
    delete (body.variants[0].config as { endpoint?: string }).endpoint;
    res = await call("/api/v1/experiments", { body }, "PM");
    expect(res.status, res.text).toBe(201);
    expect(res.json.experiment.variants[0].config.endpointId).toBe(id);
    const [variant] = await sql<{ endpointId: string }>(
      `SELECT v."endpointId" FROM "Variant" v JOIN "Experiment" e ON e.id = v."experimentId" WHERE e.key = $1 AND v.key = 'A'`,
      [key],
    );
    expect(variant.endpointId).toBe(id);
    // The app's config (assign API, local clients) never says where a variant is served from.
    const config = await call(`/api/v1/experiments/${key}/config`);
    expect(config.json.variants[0].config).not.toHaveProperty("endpointId");

    const refused = await call(`/api/v1/endpoints/${id}`, { method: "DELETE" });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toBe(
      `Endpoint "vllm-${run}" serves variants of ${key}; point those variants at another endpoint first (a started experiment keeps its endpoints: clone it instead).`,
    );
    // An ENGINEER may re-point the variant (a technical setting); then the endpoint can go.
    const design = (await call(`/api/v1/experiments/${key}`)).json.experiment;
    const variants = design.variants.map((v: { key: string; name: string; isControl: boolean; weight: number; config: object }) => ({
      key: v.key,
      name: v.name,
      isControl: v.isControl,
      weight: v.weight,
      config: { ...v.config, endpointId: undefined },
    }));
    res = await call(`/api/v1/experiments/${key}`, { method: "PATCH", body: { variants } });
    expect(res.status, res.text).toBe(200);
    const deleted = await call(`/api/v1/endpoints/${id}`, { method: "DELETE" });
    expect(deleted.status, deleted.text).toBe(200);
    expect(await sql(`SELECT id FROM "Endpoint" WHERE id = $1`, [id])).toEqual([]);
    const [audit] = await sql<{ details: unknown }>(
      `SELECT details FROM "AuditEvent" WHERE "entityId" = $1 AND action = 'endpoint.deleted'`,
      [id],
    );
    expect(audit.details).toEqual({ name: `vllm-${run}`, baseUrl: "https://vllm.internal/v1" });
  });

  it("no answer of this file held an endpoint key", () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) expect(text).not.toContain(SECRET.slice(0, 20));
  });
});
