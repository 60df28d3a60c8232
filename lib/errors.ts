/** Error codes a user can cause, and the HTTP status each maps to. */
export const errorStatus = {
  VALIDATION: 400,
  BAD_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** A model endpoint Assay called answered with an error (its message is passed on, naming the endpoint). */
  UPSTREAM_FAILED: 502,
  /** A model endpoint Assay called could not be reached. */
  UPSTREAM_UNREACHABLE: 502,
  UNAVAILABLE: 503,
  /** A model endpoint Assay called did not answer in time. */
  UPSTREAM_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** The one error type: `message` is safe to show a user and says what to fix. */
export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/** The digest Next.js hands the error page for a database outage (it keeps the digest a thrown error already has). */
export const UNAVAILABLE_DIGEST = "ASSAY_DATABASE_UNAVAILABLE";

/** Seconds a client should wait before trying again while the database is unavailable (the Retry-After header). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The error for "the database cannot be reached": 503 from the API, the "database unavailable" page in the browser. */
export function databaseUnavailable(cause?: unknown): AppError {
  const err = new AppError("UNAVAILABLE", "The database is unavailable right now. Try again in a few seconds.");
  return Object.assign(err, { digest: UNAVAILABLE_DIGEST, cause });
}
