"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/Dialog";

/** Marks the extra history entry the guard adds while there are unsaved changes, so Back lands on the page itself first. */
const SENTINEL = "assayLeaveGuard";

type Pending = { kind: "link"; href: string } | { kind: "back" } | { kind: "action"; control: HTMLElement };

/** Marks a button that leaves the page without being a link (Sign out): the guard asks first, and clicks it again on Leave. */
export const LEAVES_PAGE = "data-leaves-page";

/** The button a click presses that leaves the page (marked LEAVES_PAGE), or null. */
function leavingControl(e: MouseEvent): HTMLElement | null {
  if (e.defaultPrevented || e.button !== 0) return null;
  return ((e.target as Element | null)?.closest?.(`[${LEAVES_PAGE}]`) as HTMLElement | null) ?? null;
}

/** Where the guard's extra entry is (the page's address and the history's length just after the push), across remounts. */
let sentinel: { href: string; length: number } | null = null;

function pushSentinel() {
  window.history.pushState({ [SENTINEL]: true }, "");
  sentinel = { href: window.location.href, length: window.history.length };
}

/** True on the guard's extra entry. The router rewrites an entry's state when the page refreshes (after a save): mark it again. */
function onSentinelEntry(): boolean {
  if (window.history.state?.[SENTINEL] === true) {
    sentinel = { href: window.location.href, length: window.history.length };
    return true;
  }
  if (sentinel && sentinel.href === window.location.href && sentinel.length === window.history.length) {
    window.history.replaceState({ ...(window.history.state ?? {}), [SENTINEL]: true }, "");
    return true;
  }
  return false;
}

/** The in-app link a click follows, or null when the click is not a plain same-origin navigation to another page. */
function inAppDestination(e: MouseEvent): string | null {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return null;
  const anchor = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
  if (!anchor || (anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return null;
  const url = new URL(anchor.href, window.location.href);
  // Another site: the browser's own leave prompt (beforeunload) asks.
  if (url.origin !== window.location.origin) return null;
  // The same page (the section anchors): nothing is lost.
  if (url.pathname === window.location.pathname && url.search === window.location.search) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Asks before unsaved changes are lost, on every way out of the page: in-app links (sidebar, breadcrumb, buttons that are
 * links), buttons marked LEAVES_PAGE (Sign out), the browser's Back button, and reload or close (the browser's own prompt). Render it where the form's dirty state is.
 */
export function LeaveGuard({
  dirty,
  what,
  keptNote,
  onDiscard,
}: {
  dirty: boolean;
  /** What would be lost, for the dialog ("the name and the plan"). */
  what: string;
  /** Said instead of "they are lost" when a copy is kept (the New form's draft in this browser). */
  keptNote?: string;
  /** Offers "Discard and leave" too, calling this first (the New form forgets its kept draft). */
  onDiscard?: () => void;
}) {
  const router = useRouter();
  const [pending, setPending] = useState<Pending | null>(null);
  const dirtyRef = useRef(dirty);
  const leaving = useRef(false);
  const onSentinel = useRef(false);

  // Reload, close, another site: the browser asks (browsers show their own words).
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      if (leaving.current) return;
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  // Back: while dirty, an extra entry for this page sits on top of the history, so Back first returns here and asks.
  useEffect(() => {
    dirtyRef.current = dirty;
    onSentinel.current = onSentinelEntry();
    if (dirty && !onSentinel.current) {
      pushSentinel();
      onSentinel.current = true;
    }
  }, [dirty]);

  useEffect(() => {
    const onPopState = (e: PopStateEvent) => {
      const wasOnSentinel = onSentinel.current;
      onSentinel.current = e.state?.[SENTINEL] === true;
      if (!wasOnSentinel || onSentinel.current || leaving.current) return;
      // A section anchor (#plan) adds an entry at another address: that is not Back to this page's own entry.
      if (sentinel && window.location.href !== sentinel.href) return;
      // Back from the extra entry: the page is still the same one.
      if (dirtyRef.current) setPending({ kind: "back" });
      else {
        // Nothing to lose: skip the duplicate entry.
        sentinel = null;
        window.history.back();
      }
    };
    const onClick = (e: MouseEvent) => {
      const control = leavingControl(e);
      if (control && dirtyRef.current && !leaving.current) {
        e.preventDefault();
        e.stopPropagation();
        setPending({ kind: "action", control });
        return;
      }
      const href = inAppDestination(e);
      if (href === null || leaving.current) return;
      if (!dirtyRef.current && !onSentinel.current) return;
      e.preventDefault();
      e.stopPropagation();
      if (dirtyRef.current) setPending({ kind: "link", href });
      else {
        // Saved since: the extra entry becomes the destination, so Back is not pressed twice.
        sentinel = null;
        router.replace(href);
      }
    };
    window.addEventListener("popstate", onPopState);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("popstate", onPopState);
      document.removeEventListener("click", onClick, true);
    };
  }, [router]);

  const stay = () => {
    if (pending?.kind === "back") {
      pushSentinel();
      onSentinel.current = true;
    }
    setPending(null);
  };
  const leave = (discard: boolean) => {
    const to = pending;
    if (!to) return;
    if (discard) onDiscard?.();
    leaving.current = true;
    sentinel = null;
    setPending(null);
    if (to.kind === "back") window.history.back();
    // Pressed again with the guard out of the way: its own handler runs (signs out).
    else if (to.kind === "action") to.control.click();
    else if (onSentinel.current) router.replace(to.href);
    else router.push(to.href);
  };

  if (!pending) return null;
  return (
    <Dialog title="Leave without saving?" onClose={stay}>
      <p className="mb-4 text-sm text-slate-700" data-testid="leave-guard-message">
        You have unsaved changes to {what}. {keptNote ?? "If you leave now, they are lost."}
      </p>
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" className={buttonClass.primary} onClick={stay}>
          Stay on this page
        </button>
        {onDiscard ? (
          <button type="button" className={buttonClass.secondary} onClick={() => leave(true)}>
            Discard the draft and leave
          </button>
        ) : null}
        <button type="button" className={buttonClass.secondary} onClick={() => leave(false)}>
          {keptNote ? "Leave, keep the draft" : "Leave and lose the changes"}
        </button>
      </div>
    </Dialog>
  );
}
