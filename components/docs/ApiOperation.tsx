import type { Operation } from "@/lib/openapi/document";
import { permissions } from "@/lib/auth/permissions";

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(" | ");
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(typeOf).join(" or ");
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "values"}`;
  if (s.type === "object" && s.additionalProperties && typeof s.additionalProperties === "object")
    return `object of ${typeOf(s.additionalProperties)}`;
  return Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
}

function limits(s: JsonSchema): string {
  const parts: string[] = [];
  if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined && s.minLength > 0) parts.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) parts.push(`at most ${s.maxLength.toLocaleString("en-US")} characters`);
  if (s.maxItems !== undefined) parts.push(`at most ${s.maxItems.toLocaleString("en-US")} items`);
  if (s.pattern) parts.push(`matches ${s.pattern}`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join(", ");
}

const METHOD_TONE: Record<string, string> = {
  get: "bg-sky-100 text-sky-900",
  post: "bg-emerald-100 text-emerald-900",
  patch: "bg-amber-100 text-amber-900",
  put: "bg-amber-100 text-amber-900",
  delete: "bg-rose-100 text-rose-900",
};

/** One endpoint: method and path, what it does, who may call it, and its body's fields. */
export function ApiOperation({ op, spec }: { op: Operation; spec: Record<string, unknown> }) {
  const body = (spec.requestBody as { content: Record<string, { schema: JsonSchema }> } | undefined)?.content;
  const firstType = body ? Object.keys(body)[0] : undefined;
  let schema = firstType ? body![firstType].schema : undefined;
  const isList = schema?.type === "array";
  if (isList) schema = schema!.items;
  const roles = op.action ? (permissions[op.action] as readonly string[]) : [];
  return (
    <article
      className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      id={`${op.method}-${op.path.replace(/[^a-z0-9]+/gi, "-")}`}
    >
      <h3 className="flex flex-wrap items-center gap-2 text-sm">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ${METHOD_TONE[op.method]}`}>{op.method}</span>
        <code className="break-all font-mono text-slate-900">{op.path}</code>
      </h3>
      <p className="mt-2 text-sm text-slate-800">{op.summary}</p>
      {op.description ? <p className="mt-1 text-sm text-slate-700">{op.description}</p> : null}
      <p className="mt-2 text-xs text-slate-600">
        {op.action ? `Who may call it: ${roles.join(", ")}${op.keyOnly ? " — with an API key only" : ""}.` : "Public: no key needed."}
        {body && Object.keys(body).length > 1 ? ` Body as ${Object.keys(body).join(", ")}.` : ""}
      </p>
      {schema?.properties ? (
        <div className="mt-3 overflow-x-auto" role="region" aria-label={`Fields of ${op.method.toUpperCase()} ${op.path}`} tabIndex={0}>
          <table className="min-w-full text-left text-xs">
            <caption className="sr-only">{isList ? "Fields of each record" : "Body fields"}</caption>
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  {isList ? "Field (each record)" : "Field"}
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Type
                </th>
                <th scope="col" className="py-1 font-medium">
                  Rules
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 text-slate-800">
              {Object.entries(schema.properties).map(([name, s]) => (
                <tr key={name}>
                  <td className="py-1 pr-3 align-top font-mono">
                    {name}
                    {schema!.required?.includes(name) ? <span className="text-rose-800"> (required)</span> : null}
                  </td>
                  <td className="py-1 pr-3 align-top">{typeOf(s)}</td>
                  <td className="py-1 align-top">{[s.description, limits(s)].filter(Boolean).join(" · ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </article>
  );
}
