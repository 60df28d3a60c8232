import Link from "next/link";
import { buttonClass } from "./button";

/** A 404 that says what was not found and offers the ways on: the page's own links, and the overview. */
export function NotFound({
  title,
  children,
  links = [],
}: {
  title: React.ReactNode;
  children?: React.ReactNode;
  links?: { href: string; label: string }[];
}) {
  return (
    <div className="mx-auto mt-6 max-w-xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="not-found">
      <p className="text-sm font-semibold text-slate-600">Not found (404)</p>
      <h1 className="mt-1 break-words text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      {children ? <div className="mt-2 space-y-2 text-sm text-slate-700">{children}</div> : null}
      <div className="mt-5 flex flex-wrap gap-2">
        {links.map((l, i) => (
          <Link key={l.href} href={l.href} className={i === 0 ? buttonClass.primary : buttonClass.secondary}>
            {l.label}
          </Link>
        ))}
        <Link href="/" className={links.length ? buttonClass.secondary : buttonClass.primary}>
          Go to the overview
        </Link>
      </div>
    </div>
  );
}
