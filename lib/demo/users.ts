import type { Role } from "@/lib/generated/prisma/enums";

/** The demo password of every demo account (README, "Demo logins"). Seeded only with the demo. */
export const DEMO_PASSWORD = "assay-demo-2026";

/** One demo account per role. */
export const demoUsers: { email: string; name: string; role: Role; does: string }[] = [
  { email: "admin@assay.local", name: "Ada Admin", role: "ADMIN", does: "manages users, keys and settings" },
  { email: "pm@assay.local", name: "Priya PM", role: "PM", does: "designs, starts and stops experiments" },
  { email: "engineer@assay.local", name: "Eli Engineer", role: "ENGINEER", does: "routes traffic, runs load tests" },
  { email: "reviewer@assay.local", name: "Rae Reviewer", role: "REVIEWER", does: "approves or rejects deploy decisions" },
];
