import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import type { Identity } from "./identity";

export const ROLES = ["ADMIN", "PM", "ENGINEER", "REVIEWER"] as const satisfies readonly Role[];

/**
 * The one permission table: action -> roles allowed. Every route handler, server action and page
 * checks an action from here through lib/auth/guard; tests walk the whole table.
 */
export const permissions = {
  "me:read": ["ADMIN", "PM", "ENGINEER", "REVIEWER"],
  "apiKeys:manageOwn": ["ADMIN", "PM", "ENGINEER", "REVIEWER"],
  "users:read": ["ADMIN"],
  "users:manage": ["ADMIN"],
  "experiments:read": ["ADMIN", "PM", "ENGINEER", "REVIEWER"],
  "experiments:create": ["ADMIN", "PM"],
  "experiments:edit": ["ADMIN", "PM"],
  "experiments:editVariantSettings": ["ADMIN", "PM", "ENGINEER"],
  "experiments:lifecycle": ["ADMIN", "PM"],
  "planner:use": ["ADMIN", "PM", "ENGINEER", "REVIEWER"],
  "loadRuns:read": ["ADMIN", "ENGINEER", "PM"],
  /** Upload traces and results files, start or cancel a load run (worker jobs that send real traffic to an endpoint). */
  "loadRuns:run": ["ADMIN", "ENGINEER"],
  /** Approve or reject a deploy decision (never one the caller requested, or on an experiment they own: lib/reviews/service.ts). */
  "decisions:review": ["ADMIN", "REVIEWER"],
  /** Request a review of a stopped experiment's deploy decision, freezing its results and decision matrix. */
  "decisions:request": ["ADMIN", "PM"],
  /** Start or cancel a judge run: an experiment's interactions scored by the LLM judge in the background. */
  "judge:run": ["ADMIN", "PM", "ENGINEER"],
  /** See the judge's rubrics and every version of each. */
  "rubrics:read": ["ADMIN", "PM", "ENGINEER", "REVIEWER"],
  /** Save a rubric, or the next version of one (a version never changes once saved). */
  "rubrics:manage": ["ADMIN", "PM", "ENGINEER"],
  /** Make or delete a dataset of interactions (the lowest scores, safety flags, ...) for the harness and the judge. */
  "datasets:manage": ["ADMIN", "PM", "ENGINEER"],
  "system:read": ["ADMIN"],
  /** Ask which variant a user gets (assign API, a local client's config, its exposures); send traffic through the gateway. */
  "traffic:assign": ["ADMIN", "PM", "ENGINEER"],
  /** Send interaction logs (the ingestion API, an upload from the browser). */
  "interactions:write": ["ADMIN", "PM", "ENGINEER"],
  /** Read logged interactions and what is computed from them (the explorer, its exports, the results). */
  "interactions:read": ["ADMIN", "PM", "ENGINEER", "REVIEWER"],
  /** QA overrides, the kill switch and targeting of a running experiment. */
  "experiments:control": ["ADMIN", "PM"],
  /** See the model endpoints (names, base URLs, default models; never their API keys), e.g. to point a variant at one. */
  "endpoints:read": ["ADMIN", "PM", "ENGINEER"],
  /** Model endpoints the gateway forwards to (their API keys are stored encrypted and never shown again). */
  "endpoints:manage": ["ADMIN", "ENGINEER"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof permissions;

/** True when `wider` may do everything `narrower` may (ADMIN covers PM; PM does not cover ENGINEER). */
export function coversRole(wider: Role, narrower: Role): boolean {
  return (Object.keys(permissions) as Action[]).every((action) => !can(narrower, action) || can(wider, action));
}

/** True when `role` may perform `action` according to the permission table. */
export function can(role: Role, action: Action): boolean {
  return (permissions[action] as readonly Role[]).includes(role);
}

/** Throws FORBIDDEN unless the identity's role may perform the action. */
export function authorize(identity: Identity, action: Action): void {
  if (!can(identity.role, action)) {
    throw new AppError("FORBIDDEN", `Your role (${identity.role}) may not do this (${action}).`);
  }
}
