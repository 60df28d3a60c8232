"use client";

import { buttonClass } from "@/components/ui/button";
import { fieldClass } from "./FormField";

/** Search and filters of the experiment list, as a GET form: the URL holds the filter, selects apply at once. */
export function ExperimentFilters({ q, status, owner, archived }: { q: string; status: string; owner: string; archived: boolean }) {
  const submit = (e: React.ChangeEvent<HTMLElement>) => (e.currentTarget as HTMLInputElement).form?.requestSubmit();
  return (
    <form method="get" action="/experiments" className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter experiments">
      <div className="min-w-64 flex-1">
        <label htmlFor="filter-q" className="block text-sm font-medium text-slate-700">
          Search
        </label>
        <input
          id="filter-q"
          name="q"
          type="search"
          defaultValue={q}
          placeholder="Name, key or hypothesis"
          className={`mt-1 ${fieldClass()}`}
        />
      </div>
      <div>
        <label htmlFor="filter-status" className="block text-sm font-medium text-slate-700">
          Status
        </label>
        <select id="filter-status" name="status" defaultValue={status} onChange={submit} className={`mt-1 ${fieldClass()}`}>
          <option value="">Any status</option>
          <option value="DRAFT">Draft</option>
          <option value="RUNNING">Running</option>
          <option value="STOPPED">Stopped</option>
          <option value="DECIDED">Decided</option>
        </select>
      </div>
      <div>
        <label htmlFor="filter-owner" className="block text-sm font-medium text-slate-700">
          Owner
        </label>
        <select id="filter-owner" name="owner" defaultValue={owner} onChange={submit} className={`mt-1 ${fieldClass()}`}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
        </select>
      </div>
      <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
        <input type="checkbox" name="archived" value="true" defaultChecked={archived} onChange={submit} />
        Include archived
      </label>
      <button type="submit" className={buttonClass.secondary}>
        Search
      </button>
    </form>
  );
}
