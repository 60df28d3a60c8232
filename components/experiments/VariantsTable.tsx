import { Badge } from "@/components/ui/Badge";
import { TableScroll } from "@/components/ui/TableScroll";

/** Variants at a glance: key, name, control, traffic share and configuration version. */
export function VariantsTable({
  variants,
}: {
  variants: { key: string; name: string; isControl: boolean; weight: number; configVersion: number }[];
}) {
  return (
    <TableScroll label="Variants table">
      <table className="w-full text-left text-sm" data-testid="variants-table">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">Key</th>
            <th className="pr-3">Name</th>
            <th className="pr-3">Role</th>
            <th className="pr-3">Traffic</th>
            <th className="pr-3">Configuration</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {variants.map((v) => (
            <tr key={v.key}>
              <td className="py-2 pr-3 font-mono">{v.key}</td>
              <td className="pr-3">{v.name}</td>
              <td className="pr-3">{v.isControl ? <Badge tone="blue">control</Badge> : "treatment"}</td>
              <td className="pr-3">{v.weight}%</td>
              <td className="pr-3">version {v.configVersion}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
