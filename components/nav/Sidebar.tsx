"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import type { NavItem } from "@/lib/navigation/items";

export function Sidebar({ items, user }: { items: NavItem[]; user: { name: string; email: string | null; role: string } }) {
  const pathname = usePathname();
  const sections = ["Work", "Settings"] as const;
  return (
    <aside className="flex w-60 shrink-0 flex-col border-r border-slate-200 bg-white">
      <div className="px-5 py-5">
        <Link href="/" className="text-lg font-bold tracking-tight text-brand-700">
          Assay
        </Link>
        <p className="text-xs text-slate-500">A/B experiments for LLM apps</p>
      </div>
      <nav aria-label="Main" className="flex-1 space-y-6 px-3">
        {sections.map((section) => {
          const sectionItems = items.filter((i) => i.section === section);
          if (!sectionItems.length) return null;
          return (
            <div key={section}>
              <p className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-400">{section}</p>
              <ul className="mt-2 space-y-0.5">
                {sectionItems.map((item) => {
                  const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
                  return (
                    <li key={item.href}>
                      <Link
                        href={item.href}
                        aria-current={active ? "page" : undefined}
                        className={`block rounded-md px-2 py-1.5 text-sm ${active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
                      >
                        {item.label}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </div>
          );
        })}
      </nav>
      <div className="border-t border-slate-200 p-4 text-sm">
        <p className="font-medium text-slate-900" data-testid="current-user">
          {user.name}
        </p>
        <p className="truncate text-xs text-slate-500">{user.email}</p>
        <p className="mt-1 text-xs">
          <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700" data-testid="current-role">
            {user.role}
          </span>
        </p>
        <button
          type="button"
          onClick={() => signOut({ callbackUrl: "/login" })}
          className="mt-3 text-xs font-medium text-slate-600 underline hover:text-slate-900"
        >
          Sign out
        </button>
      </div>
    </aside>
  );
}
