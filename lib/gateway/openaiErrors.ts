// Errors as an OpenAI client expects them: {"error": {"message", "type", "param", "code"}}, with the status that fits.
// Upstream errors keep their status where it means the same to the caller; the endpoint's own credentials failing is
// Assay's problem (502), not the caller's. Messages never hold the endpoint's API key. Pure.

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null; requestId?: string };
}

/** OpenAI's error type for a status: invalid_request_error for 4xx, server_error for 5xx (rate limits: their own). */
export function openAIErrorType(status: number): string {
  if (status === 429) return "rate_limit_error";
  return status >= 500 ? "server_error" : "invalid_request_error";
}

/** The text with every occurrence of `secret` replaced (an endpoint can echo the key it was sent, e.g. "Incorrect API key: sk-…"). */
export function redactSecret(text: string, secret: string | null): string {
  if (!secret) return text;
  return text.split(secret).join("[redacted]");
}

export interface UpstreamError {
  status: number;
  body: OpenAIErrorBody;
  /** What the interaction log records in its error column. */
  logged: string;
}

const MAX_MESSAGE = 1000;

/** Message, type, param and code of an endpoint's error body: OpenAI's {error: {...}}, vLLM's {message, type, code}, FastAPI's {detail}, or text. */
function upstreamFields(text: string): { message?: string; type?: string; param?: string; code?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { message: text.trim() || undefined };
  }
  if (!body || typeof body !== "object") return {};
  const o = body as Record<string, unknown>;
  const inner = o.error && typeof o.error === "object" ? (o.error as Record<string, unknown>) : o;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
  const detail = typeof o.detail === "string" ? o.detail : o.detail !== undefined ? JSON.stringify(o.detail) : undefined;
  return {
    message: str(inner.message) ?? (typeof o.error === "string" ? o.error : undefined) ?? detail,
    type: str(inner.type),
    param: str(inner.param),
    code: str(inner.code),
  };
}

/** The caller's answer, and the log line, for an endpoint that answered an error status. */
export function upstreamErrorAnswer(status: number, bodyText: string, endpointLabel: string, secret: string | null): UpstreamError {
  const fields = upstreamFields(redactSecret(bodyText, secret));
  const said = (fields.message ?? "(no message)").slice(0, MAX_MESSAGE);
  if (status === 401 || status === 403) {
    const message = `${endpointLabel} refused Assay's credentials (${status}: ${said}). Check the endpoint's API key in Settings > Endpoints.`;
    return {
      status: 502,
      body: { error: { message, type: "server_error", param: null, code: "upstream_auth_failed" } },
      logged: `endpoint answered ${status}: ${said}`,
    };
  }
  const passed = status >= 400 && status <= 599 ? status : 502;
  return {
    status: passed,
    body: {
      error: {
        message: `${endpointLabel} answered ${status}: ${said}`,
        type: fields.type ?? openAIErrorType(passed),
        param: fields.param ?? null,
        code: fields.code ?? (passed === status ? null : "upstream_bad_status"),
      },
    },
    logged: `endpoint answered ${status}: ${said}`,
  };
}

/** Node's names for a failed connection, in words. */
const CONNECTION_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: "refused the connection (is the server running?)",
  ECONNRESET: "closed the connection",
  ENOTFOUND: "could not be found (check the host name of its base URL)",
  EAI_AGAIN: "could not be found right now (DNS lookup failed)",
  EHOSTUNREACH: "cannot be reached from Assay (no route to the host)",
  ENETUNREACH: "cannot be reached from Assay (network unreachable)",
  EPIPE: "closed the connection",
  CERT_HAS_EXPIRED: "presented an expired TLS certificate",
  DEPTH_ZERO_SELF_SIGNED_CERT: "presented a self-signed TLS certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "presented a TLS certificate Assay cannot verify",
};

/** The caller's answer for an endpoint that could not be reached (502) or did not answer in time (504). */
export function unreachableAnswer(
  kind: "timeout" | "connection",
  code: string | undefined,
  endpointLabel: string,
  timeoutMs: number,
): UpstreamError {
  if (kind === "timeout") {
    const message = `${endpointLabel} did not answer within ${timeoutMs / 1000} s (ASSAY_GATEWAY_TIMEOUT_MS).`;
    return { status: 504, body: { error: { message, type: "server_error", param: null, code: "upstream_timeout" } }, logged: message };
  }
  const problem = (code && CONNECTION_PROBLEMS[code]) ?? `could not be reached${code ? ` (${code})` : ""}`;
  const message = `${endpointLabel} ${problem}.`;
  return {
    status: 502,
    body: { error: { message, type: "server_error", param: null, code: "upstream_unreachable" } },
    logged: `${message}${code ? ` [${code}]` : ""}`,
  };
}
