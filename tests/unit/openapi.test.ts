// The API reference is complete and valid: every route of the app and of the data plane is in the generated OpenAPI 3.1
// document with the permission its handler checks, the document passes an OpenAPI 3.1 schema validator, and the request
// schemas are the routes' own (a field added to a zod schema shows up here without editing the document).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { openApiDocument, operations } from "@/lib/openapi/document";
import { sourceFiles } from "../support/sourceFiles";

const appRoutes = sourceFiles("app/api", (name) => name === "route.ts")
  .filter((file) => !file.includes("[..."))
  .flatMap((file) => {
    const template =
      "/" +
      path
        .relative("app", path.dirname(file))
        .split(path.sep)
        .join("/")
        .replace(/\[([^\]]+)\]/g, "{$1}");
    return [
      ...fs
        .readFileSync(file, "utf8")
        .matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = (withAuth|withPublic)(?:<[^>]*>)?\(("([^"]+)")?/g),
    ].map((m) => ({
      method: m[1].toLowerCase(),
      path: template,
      action: m[4],
    }));
  });

const dataPlaneRoutes = sourceFiles("lib/dataPlane", (name) => name.endsWith(".ts")).flatMap((file) =>
  [
    ...fs
      .readFileSync(file, "utf8")
      .matchAll(/app\.(get|post|put|patch|delete)(?:<[^>]*>)?\(\s*"([^"]+)",\s*\{\s*config:\s*\{\s*action:\s*"([^"]+)"/g),
  ].map((m) => ({
    method: m[1],
    path: m[2].replace(/:([A-Za-z]+)/g, "{$1}"),
    action: m[3],
  })),
);

describe("the OpenAPI document", () => {
  it("lists every route file's handler with the permission it checks", () => {
    expect(appRoutes.length).toBeGreaterThan(15);
    for (const r of appRoutes) {
      const op = operations.find((o) => o.method === r.method && o.path === r.path);
      expect(op, `add ${r.method.toUpperCase()} ${r.path} to lib/openapi/document.ts`).toBeDefined();
      expect(op!.action).toBe(r.action);
    }
  });

  it("lists every data plane route, marked API-key only", () => {
    expect(dataPlaneRoutes.map((r) => r.path)).toContain("/api/v1/assign");
    for (const r of dataPlaneRoutes) {
      const op = operations.find((o) => o.method === r.method && o.path === r.path);
      expect(op, `add ${r.method.toUpperCase()} ${r.path} to lib/openapi/document.ts`).toBeDefined();
      expect(op!.action).toBe(r.action);
      expect(op!.keyOnly).toBe(true);
    }
  });

  it("lists nothing that is not a route", () => {
    const known = new Set([...appRoutes, ...dataPlaneRoutes].map((r) => `${r.method} ${r.path}`));
    for (const o of operations) expect(known.has(`${o.method} ${o.path}`), `${o.method} ${o.path}`).toBe(true);
  });

  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(openApiDocument() as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("takes its request schemas from the routes' zod schemas", () => {
    const doc = openApiDocument();
    const ingest = (doc.paths["/api/v1/interactions"].post as any).requestBody.content["application/json"].schema;
    const fields = Object.keys(ingest.items.properties);
    for (const f of [
      "request_id",
      "user_id",
      "variant_id",
      "model_name",
      "system_prompt_version",
      "latency_ms",
      "prompt_tokens",
      "completion_tokens",
      "user_input",
      "model_output",
      "safety_flag",
      "user_feedback_score",
      "experiment_key",
      "timestamp",
      "ttft_ms",
      "cost_usd",
      "metrics",
    ])
      expect(fields).toContain(f);
    expect(ingest.items.required).toEqual(expect.arrayContaining(["request_id", "user_id", "experiment_key", "variant_id"]));
    expect(ingest.items.properties.latency_ms).toMatchObject({ type: "number", minimum: 0 });
    const assign = (doc.paths["/api/v1/assign"].post as any).requestBody.content["application/json"].schema;
    expect(assign.required).toEqual(["experiment", "userId"]);
    expect((doc.paths["/api/v1/assign"].post as any)["x-assay-roles"]).toEqual(["ADMIN", "PM", "ENGINEER"]);
  });
});
