import { can, type Action } from "@/lib/auth/permissions";
import type { Role } from "@/lib/generated/prisma/enums";

export interface NavItem {
  href: string;
  label: string;
  action: Action;
  section: "Work" | "Settings";
}

/** The sidebar: each item shows only to the roles its action allows (lib/auth/permissions.ts). */
export const navItems: NavItem[] = [
  { href: "/", label: "Overview", action: "me:read", section: "Work" },
  { href: "/experiments", label: "Experiments", action: "experiments:read", section: "Work" },
  { href: "/planner", label: "Sample-size planner", action: "planner:use", section: "Work" },
  { href: "/load-runs", label: "Load tests", action: "loadRuns:read", section: "Work" },
  { href: "/datasets", label: "Datasets", action: "interactions:read", section: "Work" },
  { href: "/rubrics", label: "Rubrics", action: "rubrics:read", section: "Work" },
  { href: "/reviews", label: "Reviews", action: "decisions:review", section: "Work" },
  { href: "/settings/api-keys", label: "API keys", action: "apiKeys:manageOwn", section: "Settings" },
  { href: "/settings/endpoints", label: "Endpoints", action: "endpoints:read", section: "Settings" },
  { href: "/admin/users", label: "Users", action: "users:manage", section: "Settings" },
  { href: "/admin/system", label: "System health", action: "system:read", section: "Settings" },
  { href: "/docs/api", label: "API reference", action: "me:read", section: "Settings" },
];

/** The navigation a role sees. */
export function navigationFor(role: Role): NavItem[] {
  return navItems.filter((item) => can(role, item.action));
}
