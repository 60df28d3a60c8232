import { Children, cloneElement, isValidElement } from "react";
import { labelClass } from "@/components/ui/button";

type ControlProps = { id?: string; children?: React.ReactNode; "aria-describedby"?: string };

/**
 * The control whose id is `id`, somewhere in `node` (directly, or inside plain wrappers such as a flex row with a unit
 * select), given the field's error or help as its description and its invalid state: every field's message is read out
 * with its input, without each form wiring it by hand.
 */
function describeControl(node: React.ReactNode, id: string, describedBy: string | undefined, invalid: boolean): React.ReactNode {
  if (Array.isArray(node)) return Children.map(node, (child) => describeControl(child, id, describedBy, invalid));
  if (!isValidElement<ControlProps>(node)) return node;
  if (node.props.id === id) {
    const ids = [node.props["aria-describedby"], describedBy].filter(Boolean).join(" ");
    return cloneElement(node, {
      "aria-describedby": ids || undefined,
      ...(invalid ? { "aria-invalid": true } : {}),
    } as Partial<ControlProps>);
  }
  if (typeof node.type !== "string" || node.props.children === undefined) return node;
  return cloneElement(node, undefined, describeControl(node.props.children, id, describedBy, invalid));
}

/** A labelled input slot with an optional help text and the API's error for this field, both tied to the input. */
export function FormField({
  id,
  label,
  help,
  error,
  children,
  className = "",
}: {
  id: string;
  label: React.ReactNode;
  help?: React.ReactNode;
  error?: string;
  children: React.ReactNode;
  className?: string;
}) {
  const describedBy = error ? `${id}-error` : help ? `${id}-help` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <div className="mt-1">{describeControl(children, id, describedBy, Boolean(error))}</div>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs font-medium text-rose-700" data-testid={`error-${id}`}>
          {error}
        </p>
      ) : help ? (
        <p id={`${id}-help`} className="mt-1 text-xs text-slate-600">
          {help}
        </p>
      ) : null}
    </div>
  );
}

/** The input look, with a red ring when the field has an error and a grey fill when read-only. */
export function fieldClass(error?: string, extra = "", width = "w-full"): string {
  return `block ${width} rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-brand-500 disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500 ${error ? "ring-rose-400" : "ring-slate-300"} ${extra}`;
}
