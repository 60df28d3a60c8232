"use client";

import { useEffect, useRef, useState } from "react";

/**
 * Anchors to the sections of the design page, kept in view while the page scrolls (below the narrow-screen top bar),
 * the section being read marked. On a narrow screen the row scrolls sideways instead of wrapping.
 */
export function SectionNav({ sections }: { sections: { id: string; label: string }[] }) {
  const [current, setCurrent] = useState<string | null>(null);
  const row = useRef<HTMLUListElement>(null);
  const ids = sections.map((s) => s.id).join(" ");
  useEffect(() => {
    const targets = ids
      .split(" ")
      .map((id) => document.getElementById(id))
      .filter((el): el is HTMLElement => el !== null);
    const visible = new Map<string, boolean>();
    const observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) visible.set(e.target.id, e.isIntersecting);
        const first = targets.find((t) => visible.get(t.id));
        if (first) setCurrent(first.id);
      },
      // A section counts as read while it crosses the band just below the sticky bars.
      { rootMargin: "-120px 0px -55% 0px" },
    );
    targets.forEach((t) => observer.observe(t));
    return () => observer.disconnect();
  }, [ids]);
  // On a narrow screen the row scrolls sideways: bring the current section's link into it.
  useEffect(() => {
    const list = row.current;
    const link = current ? list?.querySelector<HTMLElement>(`a[href="#${current}"]`) : null;
    if (list && link && (link.offsetLeft < list.scrollLeft || link.offsetLeft + link.offsetWidth > list.scrollLeft + list.clientWidth))
      list.scrollTo({ left: link.offsetLeft - 16, behavior: "smooth" });
  }, [current]);
  return (
    <nav
      aria-label="Sections"
      className="sticky top-14 z-30 -mx-4 mb-6 border-b border-slate-200 bg-slate-50/95 px-4 backdrop-blur sm:-mx-6 sm:px-6 lg:top-0 lg:-mx-8 lg:px-8 print:hidden"
      data-testid="section-nav"
    >
      <ul ref={row} className="relative flex gap-x-4 overflow-x-auto whitespace-nowrap py-3 text-sm">
        {sections.map((s) => (
          <li key={s.id}>
            <a
              href={`#${s.id}`}
              aria-current={current === s.id ? "location" : undefined}
              className={`rounded px-1 py-0.5 hover:text-brand-700 hover:underline ${current === s.id ? "font-semibold text-brand-700" : "text-slate-700"}`}
            >
              {s.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
