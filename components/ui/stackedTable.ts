/**
 * Class names for a table whose rows hold actions (revoke, role, disable): a table from `sm` up, and below it one card
 * per row, each cell on its own line after its column's name (the cell's data-label), so at 390 px every value and
 * button is in view without scrolling sideways. The header row stays for screen readers.
 */
export const stackedTable = {
  table: "w-full text-left text-sm max-sm:block",
  thead: "text-xs uppercase text-slate-600 max-sm:sr-only",
  tbody: "divide-y divide-slate-100 max-sm:block",
  tr: "max-sm:block max-sm:py-2",
  td: "max-sm:flex max-sm:min-h-9 max-sm:flex-wrap max-sm:items-center max-sm:justify-between max-sm:gap-x-3 max-sm:py-1 max-sm:pr-0 max-sm:text-left max-sm:before:text-xs max-sm:before:font-medium max-sm:before:uppercase max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)]",
};
