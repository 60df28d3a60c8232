import type { Role } from "@/lib/generated/prisma/enums";

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
  "decisions:review": ["ADMIN", "REVIEWER"],
  "system:read": ["ADMIN"],
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
