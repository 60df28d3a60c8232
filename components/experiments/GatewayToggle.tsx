"use client";

/** Whether Assay's gateway serves the experiment; then every variant needs an endpoint before it can start. */
export function GatewayToggle({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" className="mt-0.5" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        <span className="font-medium text-slate-800">Serve through Assay&apos;s gateway</span>
        <span className="block text-xs text-slate-500">
          Assay routes each user to a variant and calls that variant&apos;s endpoint, so every variant then needs an endpoint before the
          experiment can start.
        </span>
      </span>
    </label>
  );
}
