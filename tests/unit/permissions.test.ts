import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { can, permissions, ROLES } from "@/lib/auth/permissions";

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : /\.(ts|tsx)$/.test(e.name) ? [fs.readFileSync(full, "utf8")] : [];
  });
}

describe("the permission table", () => {
  const code = [...sources("app"), ...sources("components"), ...sources("lib/navigation"), ...sources("lib/experiments")].join("\n");

  it.each(Object.keys(permissions))("%s is checked somewhere (no dead entries)", (action) => {
    expect(code).toContain(`"${action}"`);
  });

  it("gives the admin every action and each role what its job needs", () => {
    for (const action of Object.keys(permissions) as (keyof typeof permissions)[]) expect(can("ADMIN", action)).toBe(true);
    expect(ROLES.filter((r) => can(r, "users:manage"))).toEqual(["ADMIN"]);
    expect(ROLES.filter((r) => can(r, "experiments:edit"))).toEqual(["ADMIN", "PM"]);
    expect(ROLES.filter((r) => can(r, "experiments:editVariantSettings"))).toEqual(["ADMIN", "PM", "ENGINEER"]);
    expect(ROLES.filter((r) => can(r, "decisions:review"))).toEqual(["ADMIN", "REVIEWER"]);
    expect(ROLES.filter((r) => can(r, "experiments:read"))).toEqual(["ADMIN", "PM", "ENGINEER", "REVIEWER"]);
  });
});
