"use client";

import { useId } from "react";
import { Dialog } from "./Dialog";
import { buttonClass } from "./button";

/**
 * "Are you sure?" for a change that is hard to take back: the question, what follows from it, Cancel (focused first, so
 * Enter does not confirm by accident) and the action named on its button. A refusal from the server shows in the dialog.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  danger = false,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const bodyId = useId();
  return (
    <Dialog title={title} onClose={onCancel} describedBy={bodyId}>
      <div id={bodyId} className="space-y-2 text-sm text-slate-700">
        {children}
      </div>
      {error ? (
        <p role="alert" className="mt-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {error}
        </p>
      ) : null}
      <div className="mt-5 flex justify-end gap-2">
        <button type="button" className={buttonClass.secondary} onClick={onCancel} data-autofocus>
          Cancel
        </button>
        <button type="button" className={danger ? buttonClass.dangerSolid : buttonClass.primary} onClick={onConfirm} disabled={busy}>
          {busy ? (busyLabel ?? `${confirmLabel}…`) : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
