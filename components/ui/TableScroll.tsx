/** Lets a wide table scroll sideways inside its card on a narrow screen instead of widening the page; focusable, so a keyboard can scroll it too. */
export function TableScroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div
      className="overflow-x-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
      role="region"
      aria-label={label}
      tabIndex={0}
    >
      {children}
    </div>
  );
}
