"use client";

import { useEffect, useId, useRef } from "react";
import { createPortal } from "react-dom";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

const panels = {
  center: "mx-auto mt-16 mb-auto w-[calc(100%-2rem)] max-w-lg rounded-lg bg-white p-6 text-slate-900 shadow-xl",
  drawer: "m-0 h-full max-h-none w-72 max-w-[85vw] bg-white p-0 text-slate-900 shadow-xl",
  side: "m-0 ml-auto h-full max-h-none w-[44rem] max-w-full overflow-y-auto bg-white p-5 text-slate-900 shadow-xl sm:p-6",
};

/**
 * A modal dialog on the browser's own <dialog>: shown with showModal(), so the page behind is inert and the dialog sits
 * above everything (the sticky save bar too); focus moves into it, Tab stays in it, Escape or Cancel closes it, and focus
 * goes back to what opened it. `drawer` slides the panel in from the left (the narrow-screen menu); `side` is a wide panel
 * at the right edge, the full height of the window (one record in full beside the list it came from).
 */
export function Dialog({
  title,
  onClose,
  children,
  variant = "center",
  hideTitle = false,
  describedBy,
}: {
  title: string;
  onClose: () => void;
  children: React.ReactNode;
  variant?: keyof typeof panels;
  /** Keep the title for assistive technology only (the drawer shows its own heading). */
  hideTitle?: boolean;
  /** id of the element that says what the dialog is about (a confirmation's question). */
  describedBy?: string;
}) {
  const titleId = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    (
      dialog.querySelector<HTMLElement>("[data-autofocus]") ?? dialog.querySelector<HTMLElement>("textarea, input, select, button")
    )?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  // Tab and Shift+Tab wrap inside the dialog instead of leaving for the browser's own controls.
  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== "Tab") return;
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.offsetParent !== null || el === document.activeElement,
    );
    if (!items.length) return;
    const [first, last] = [items[0], items[items.length - 1]];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      className={`backdrop:bg-slate-900/40 ${panels[variant]}`}
      onKeyDown={onKeyDown}
      // Escape fires "cancel": let the owner close it, so its state and the dialog agree.
      onCancel={(e) => {
        e.preventDefault();
        onCloseRef.current();
      }}
      onClose={() => onCloseRef.current()}
    >
      <h2 id={titleId} className={hideTitle ? "sr-only" : "text-lg font-semibold text-slate-900"}>
        {title}
      </h2>
      <div className={hideTitle ? "" : "mt-3"}>{children}</div>
    </dialog>,
    document.body,
  );
}
