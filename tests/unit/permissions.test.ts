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

describe("every signed-in page checks its own access on the server", () => {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === "page.tsx") pages.push(full);
    }
  };
  walk(path.join("app", "(app)"));

  it.each(pages)("%s", (file) => {
    const source = fs.readFileSync(file, "utf8");
    const match = /pageIdentity\("([^"]+)"/.exec(source);
    expect(match, "call pageIdentity(action, path) from lib/auth/guard").not.toBeNull();
    expect(Object.keys(permissions)).toContain(match![1]);
    // A page that can be refused must say so instead of rendering its data.
    if (match![1] !== "me:read") expect(source).toMatch(/if \(!allowed\) return <Forbidden/);
  });
});
