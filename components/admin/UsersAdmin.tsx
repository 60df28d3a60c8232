"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { sendJson } from "@/components/ui/apiRequest";
import { Time } from "@/components/ui/Time";

const ROLES = ["ADMIN", "PM", "ENGINEER", "REVIEWER"] as const;

interface Row {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** Null when the API accepted the change, else the message to show. */
async function send(url: string, method: string, body: unknown): Promise<string | null> {
  const res = await sendJson(url, method, body);
  return res.ok ? null : res.message;
}

export function UsersAdmin({ users, currentUserId }: { users: Row[]; currentUserId: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState({ email: "", name: "", role: "PM", password: "" });

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const err = await send("/api/v1/users", "POST", form);
    if (err) return setError(err);
    setNotice(`Created ${form.email}.`);
    setForm({ email: "", name: "", role: "PM", password: "" });
    router.refresh();
  }

  async function setRole(id: string, role: string) {
    setError(null);
    const err = await send(`/api/v1/users/${id}`, "PATCH", { role });
    if (err) return setError(err);
    setNotice("Role updated.");
    router.refresh();
  }

  async function setDisabled(id: string, disabled: boolean) {
    setError(null);
    const err = await send(`/api/v1/users/${id}`, "PATCH", { disabled });
    if (err) return setError(err);
    router.refresh();
  }

  return (
    <div className="space-y-6">
      {error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {error}
        </p>
      ) : null}
      {notice && !error ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {notice}
        </p>
      ) : null}
      <Card>
        <table className="w-full text-left text-sm" data-testid="users-table">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2">Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Last sign-in</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <tr key={u.id}>
                <td className="py-2 font-medium">{u.name}</td>
                <td className="font-mono text-xs">{u.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={u.id === currentUserId}
                    onChange={(e) => setRole(u.id, e.target.value)}
                    className="rounded-md border-slate-300 py-1 text-sm ring-1 ring-slate-300"
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td className="text-slate-600">{u.lastLoginAt ? <Time value={u.lastLoginAt} /> : "never"}</td>
                <td>
                  {u.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}{" "}
                  {u.id !== currentUserId ? (
                    <button type="button" className="ml-2 text-xs text-slate-600 underline" onClick={() => setDisabled(u.id, !u.disabled)}>
                      {u.disabled ? "enable" : "disable"}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Add a user">
        <form onSubmit={create} className="grid gap-4 md:grid-cols-5 md:items-end">
          <div>
            <label htmlFor="new-name" className={labelClass}>
              Name
            </label>
            <input
              id="new-name"
              className={`mt-1 ${inputClass}`}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          </div>
          <div>
            <label htmlFor="new-email" className={labelClass}>
              Email
            </label>
            <input
              id="new-email"
              type="email"
              className={`mt-1 ${inputClass}`}
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
            />
          </div>
          <div>
            <label htmlFor="new-role" className={labelClass}>
              Role
            </label>
            <select
              id="new-role"
              className={`mt-1 ${inputClass}`}
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value })}
            >
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="new-password" className={labelClass}>
              Initial password (12+ characters)
            </label>
            <input
              id="new-password"
              type="password"
              autoComplete="new-password"
              className={`mt-1 ${inputClass}`}
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          </div>
          <button type="submit" className={buttonClass.primary}>
            Add user
          </button>
        </form>
      </Card>
    </div>
  );
}
