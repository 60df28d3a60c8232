/**
 * Lets a wide table scroll sideways inside its card on a narrow screen instead of widening the page; focusable, so a keyboard can
 * scroll it too. `relative` makes it the containing block of visually hidden (absolutely positioned) labels inside the table,
 * which otherwise escape the scroll box and widen the page.
 */
export function TableScroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div
      className="relative overflow-x-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500"
      role="region"
      aria-label={label}
      tabIndex={0}
    >
      {children}
    </div>
  );
}
