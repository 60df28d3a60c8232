"use client";

import type { FieldErrors } from "@/components/ui/apiRequest";
import { FormField, fieldClass } from "./FormField";

/** The experiment's name and description inputs, as the design page and a started experiment's small form show them. */
export function NameDescriptionFields({
  name,
  description,
  onName,
  onDescription,
  errors,
  className = "grid gap-4 md:grid-cols-2",
}: {
  name: string;
  description: string;
  onName: (next: string) => void;
  onDescription: (next: string) => void;
  errors: FieldErrors;
  className?: string;
}) {
  return (
    <div className={className}>
      <FormField id="experiment-name" label="Experiment name" error={errors.name}>
        <input id="experiment-name" className={fieldClass(errors.name)} value={name} onChange={(e) => onName(e.target.value)} />
      </FormField>
      <FormField
        id="experiment-description"
        label="Description"
        help="Context for reviewers: the product area, links, who asked."
        error={errors.description}
      >
        <textarea
          id="experiment-description"
          rows={2}
          className={fieldClass(errors.description)}
          value={description}
          onChange={(e) => onDescription(e.target.value)}
        />
      </FormField>
    </div>
  );
}
