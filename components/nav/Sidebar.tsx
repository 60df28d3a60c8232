"use client";

import Link from "next/link";
import { useState } from "react";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import type { NavItem } from "@/lib/navigation/items";
import { Dialog } from "@/components/ui/Dialog";
import { LEAVES_PAGE } from "@/components/experiments/LeaveGuard";

type User = { name: string; email: string | null; role: string };

const SECTIONS = ["Work", "Settings"] as const;

function Brand() {
  return (
    <Link href="/" className="text-lg font-bold tracking-tight text-brand-700">
      Assay
    </Link>
  );
}

/** The sections of links, the current page marked; `onNavigate` closes the narrow-screen menu. */
function NavLinks({ items, counts = {}, onNavigate }: { items: NavItem[]; counts?: Record<string, number>; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex-1 space-y-6 px-3">
      {SECTIONS.map((section) => {
        const sectionItems = items.filter((i) => i.section === section);
        if (!sectionItems.length) return null;
        return (
          <div key={section}>
            <p className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-600">{section}</p>
            <ul className="mt-2 space-y-0.5">
              {sectionItems.map((item) => {
                const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
                return (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      onClick={onNavigate}
                      aria-current={active ? "page" : undefined}
                      className={`block rounded-md px-2 py-1.5 text-sm ${active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
                    >
                      {item.label}
                      {counts[item.href] ? (
                        <span
                          className="ml-2 rounded-full bg-brand-700 px-1.5 py-0.5 text-xs font-semibold text-white"
                          data-testid={`nav-count-${item.label}`}
                        >
                          <span className="sr-only">, </span>
                          {counts[item.href]}
                          <span className="sr-only"> waiting for you</span>
                        </span>
                      ) : null}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}

function Account({ user }: { user: User }) {
  return (
    <div className="border-t border-slate-200 p-4 text-sm">
      <p className="font-medium text-slate-900" data-testid="current-user">
        {user.name}
      </p>
      <p className="truncate text-xs text-slate-600">{user.email}</p>
      <p className="mt-1 text-xs">
        <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700" data-testid="current-role">
          {user.role}
        </span>
      </p>
      <button
        type="button"
        onClick={() => signOut({ callbackUrl: "/login" })}
        // A form with unsaved changes asks first (LeaveGuard), as it does for the links beside this button.
        {...{ [LEAVES_PAGE]: "" }}
        className="mt-3 text-xs font-medium text-slate-700 underline hover:text-slate-900"
      >
        Sign out
      </button>
    </div>
  );
}

/**
 * The app's navigation. From 1024 px: a sidebar that stays in view however long the page. Narrower: a bar across the top
 * (also kept in view) whose Menu button opens the same links in a drawer.
 */
/** The sidebar; `counts` puts a number beside an item (the reviews waiting for this user beside Reviews). */
export function Sidebar({ items, user, counts }: { items: NavItem[]; user: User; counts?: Record<string, number> }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <header className="sticky top-0 z-40 flex h-14 items-center justify-between border-b border-slate-200 bg-white px-4 lg:hidden print:hidden">
        <Brand />
        <button
          type="button"
          className="inline-flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
          aria-haspopup="dialog"
          aria-expanded={open}
          onClick={() => setOpen(true)}
        >
          <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
            <path d="M3 5h14v2H3zM3 9h14v2H3zM3 13h14v2H3z" />
          </svg>
          Menu
        </button>
      </header>
      {open ? (
        <Dialog title="Menu" hideTitle variant="drawer" onClose={() => setOpen(false)}>
          <div className="flex h-full flex-col">
            <div className="flex items-center justify-between px-5 py-4">
              <Brand />
              <button
                type="button"
                className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
                onClick={() => setOpen(false)}
                data-autofocus
              >
                Close
              </button>
            </div>
            <NavLinks items={items} counts={counts} onNavigate={() => setOpen(false)} />
            <Account user={user} />
          </div>
        </Dialog>
      ) : null}
      <aside className="sticky top-0 hidden h-screen w-60 shrink-0 flex-col overflow-y-auto border-r border-slate-200 bg-white lg:flex print:hidden">
        <div className="px-5 py-5">
          <Brand />
          <p className="text-xs text-slate-600">A/B experiments for LLM apps</p>
        </div>
        {/* While the narrow-screen drawer is open it holds the only copy of the links and the account. */}
        {open ? null : (
          <>
            <NavLinks items={items} counts={counts} />
            <Account user={user} />
          </>
        )}
      </aside>
    </>
  );
}
