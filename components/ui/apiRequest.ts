/** Field -> message, from the API's `error.details.issues`. */
export type FieldErrors = Record<string, string>;

export type ApiResult = { ok: true; data: unknown } | { ok: false; message: string; fields: FieldErrors };

/** The API's `details.issues` as a field -> message map (first message per field). */
export function fieldErrorsOf(body: unknown): FieldErrors {
  const issues = (body as { error?: { details?: { issues?: { field: string; message: string }[] } } })?.error?.details?.issues ?? [];
  const out: FieldErrors = {};
  for (const issue of issues) out[issue.field] ??= issue.message;
  return out;
}

/** Calls Assay's JSON API from the browser: the parsed body, or the refusal's message and field errors; a lost connection becomes a message too. */
export async function sendJson(url: string, method: string, body?: unknown): Promise<ApiResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, message: "Could not reach Assay. Check your connection and try again.", fields: {} };
  }
  const data = await res.json().catch(() => null);
  if (res.ok) return { ok: true, data };
  return { ok: false, message: data?.error?.message ?? `The request failed (${res.status}).`, fields: fieldErrorsOf(data) };
}
