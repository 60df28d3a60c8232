"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { TableScroll } from "@/components/ui/TableScroll";
import { stackedTable } from "@/components/ui/stackedTable";
import { Time } from "@/components/ui/Time";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { FormField, fieldClass } from "@/components/experiments/FormField";
import { coversRole } from "@/lib/auth/permissions";
import type { Role } from "@/lib/generated/prisma/enums";

const ROLES = ["ADMIN", "PM", "ENGINEER", "REVIEWER"] as const;

/** What each role may do, in the words the confirmation and the page use. */
export const ROLE_SUMMARY: Record<(typeof ROLES)[number], string> = {
  ADMIN: "manage users, roles and keys",
  PM: "design, start and stop experiments",
  ENGINEER: "route traffic and run load tests",
  REVIEWER: "approve or reject deploy decisions",
};

interface Row {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** A change waiting for the admin's confirmation. */
type Pending = { kind: "role"; user: Row; role: string } | { kind: "disable"; user: Row };

const summary = (role: string) => ROLE_SUMMARY[role as keyof typeof ROLE_SUMMARY] ?? "";

/** What a role change does, from the permission table: a role that covers the old one adds to it, one the old covers takes away. */
export function roleChangeText(email: string, from: Role, to: Role): string {
  const today = `${email} is ${from} today: they can ${summary(from)}.`;
  if (coversRole(to, from)) return `${today} As ${to} they keep all of that and can also ${summary(to)}.`;
  if (coversRole(from, to)) return `${today} As ${to} they can ${summary(to)}, but no longer ${summary(from)}.`;
  return `${today} As ${to} they can ${summary(to)} instead.`;
}

export function UsersAdmin({ users, currentUserId }: { users: Row[]; currentUserId: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState({ email: "", name: "", role: "PM", password: "" });
  const [pending, setPending] = useState<Pending | null>(null);
  const [pendingError, setPendingError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setFields({});
    setNotice(null);
    const res = await sendJson("/api/v1/users", "POST", form);
    if (!res.ok) {
      setFields(res.fields);
      return setError(res.message);
    }
    setNotice(`Created ${form.email}.`);
    setForm({ email: "", name: "", role: "PM", password: "" });
    router.refresh();
  }

  /** Sends a change; on success closes the confirmation and says what happened. */
  async function change(user: Row, body: { role?: string; disabled?: boolean }, done: string) {
    setBusy(true);
    setPendingError(null);
    const res = await sendJson(`/api/v1/users/${user.id}`, "PATCH", body);
    setBusy(false);
    if (!res.ok) {
      if (pending) return setPendingError(res.message);
      return setError(res.message);
    }
    setPending(null);
    setError(null);
    setNotice(done);
    router.refresh();
  }

  const cancel = () => {
    setPending(null);
    setPendingError(null);
  };

  return (
    <div className="space-y-6">
      {error && !Object.keys(fields).length ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {error}
        </p>
      ) : null}
      {notice && !error ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {notice}
        </p>
      ) : null}
      <Card>
        <TableScroll label="Users table">
          <table className={stackedTable.table} data-testid="users-table">
            <thead className={stackedTable.thead}>
              <tr>
                <th className="py-2 pr-3">Name</th>
                <th className="pr-3">Email</th>
                <th className="pr-3">Role</th>
                <th className="pr-3">Last sign-in</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody className={stackedTable.tbody}>
              {users.map((u) => (
                <tr key={u.id} className={stackedTable.tr}>
                  <td className={`py-2 pr-3 font-medium ${stackedTable.td}`} data-label="Name">
                    {u.name}
                  </td>
                  <td className={`break-all pr-3 font-mono text-xs ${stackedTable.td}`} data-label="Email">
                    {u.email}
                  </td>
                  <td className={`pr-3 ${stackedTable.td}`} data-label="Role">
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.role}
                      disabled={u.id === currentUserId}
                      onChange={(e) => setPending({ kind: "role", user: u, role: e.target.value })}
                      className="rounded-md border-slate-300 py-1 text-sm ring-1 ring-slate-300"
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td className={`whitespace-nowrap pr-3 text-slate-600 ${stackedTable.td}`} data-label="Last sign-in">
                    {u.lastLoginAt ? <Time value={u.lastLoginAt} /> : "never"}
                  </td>
                  <td className={`whitespace-nowrap ${stackedTable.td}`} data-label="Status">
                    {u.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}{" "}
                    {u.id !== currentUserId ? (
                      <button
                        type="button"
                        className="ml-2 text-xs text-slate-700 underline hover:text-slate-900"
                        aria-label={`${u.disabled ? "Enable" : "Disable"} ${u.email}`}
                        onClick={() =>
                          u.disabled ? change(u, { disabled: false }, `Enabled ${u.email}.`) : setPending({ kind: "disable", user: u })
                        }
                      >
                        {u.disabled ? "enable" : "disable"}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Card>

      {pending?.kind === "role" ? (
        <ConfirmDialog
          title={`Make ${pending.user.name} ${pending.role === "ADMIN" ? "an" : "a"} ${pending.role}?`}
          confirmLabel={`Change role to ${pending.role}`}
          busyLabel="Changing…"
          busy={busy}
          error={pendingError}
          onCancel={cancel}
          onConfirm={() => change(pending.user, { role: pending.role }, `Role updated: ${pending.user.email} is now ${pending.role}.`)}
        >
          <p>{roleChangeText(pending.user.email, pending.user.role as Role, pending.role as Role)}</p>
          <p>The change applies to their next request, and their API keys carry the new role too.</p>
        </ConfirmDialog>
      ) : null}
      {pending?.kind === "disable" ? (
        <ConfirmDialog
          title={`Disable ${pending.user.name}?`}
          confirmLabel="Disable user"
          busyLabel="Disabling…"
          danger
          busy={busy}
          error={pendingError}
          onCancel={cancel}
          onConfirm={() => change(pending.user, { disabled: true }, `Disabled ${pending.user.email}.`)}
        >
          <p>{pending.user.email} is signed out at once and cannot sign in; their API keys stop working.</p>
          <p>Their experiments and history stay. You can enable them again later.</p>
        </ConfirmDialog>
      ) : null}

      <Card title="Add a user">
        {error && Object.keys(fields).length ? (
          <p role="alert" className="mb-4 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
            Not added: fix the highlighted {Object.keys(fields).length === 1 ? "field" : "fields"} and try again.
          </p>
        ) : null}
        <form onSubmit={create} className="grid gap-4 md:grid-cols-5 md:items-start" noValidate>
          <FormField id="new-name" label="Name" error={fields.name}>
            <input
              id="new-name"
              autoComplete="off"
              className={fieldClass(fields.name)}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          </FormField>
          <FormField id="new-email" label="Email" error={fields.email}>
            <input
              id="new-email"
              type="email"
              autoComplete="off"
              className={fieldClass(fields.email)}
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
            />
          </FormField>
          <FormField
            id="new-role"
            label="Role"
            help={`Can ${summary(form.role)}${form.role === "ADMIN" ? ", and everything the other roles can" : ""}.`}
            error={fields.role}
          >
            <select
              id="new-role"
              className={fieldClass(fields.role)}
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value })}
            >
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </FormField>
          <FormField id="new-password" label="Initial password (12+ characters)" error={fields.password}>
            <input
              id="new-password"
              type="password"
              autoComplete="new-password"
              className={fieldClass(fields.password)}
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          </FormField>
          <div className="md:pt-6">
            <button type="submit" className={buttonClass.primary}>
              Add user
            </button>
          </div>
        </form>
      </Card>
    </div>
  );
}
