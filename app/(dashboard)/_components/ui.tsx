import Link from "next/link";
import type { ReactNode } from "react";

/** `2025-01-31 14:05:09 UTC`: one unambiguous format for operators in any timezone. */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(at: Date, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 45) return "just now";
  if (seconds < 60 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 60 * 60 * 48) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

export function Time({ at }: { at: Date | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  return (
    <time dateTime={at.toISOString()} title={formatAge(at)}>
      {formatTime(at)}
    </time>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export function PageHeader({ title, subtitle, children }: { title: ReactNode; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
      </div>
      {children ? <div className="page-actions">{children}</div> : null}
    </header>
  );
}

/** What a form's server action said, carried back in the query string after its redirect (post/redirect/get). */
export function FormOutcome({ notice, problem }: { notice?: string | null; problem?: string | null }) {
  return (
    <>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {problem ? (
        <p className="error-text" role="alert">
          {problem}
        </p>
      ) : null}
    </>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function NoWorkspace() {
  return (
    <div className="empty">
      <p>
        <strong>No workspace yet</strong> — run <code>npm run workspace:create</code> to create one.
      </p>
    </div>
  );
}

/** Keyset pages only go forward; "Newest" starts over. */
export function Pagination({ firstHref, nextHref, isFirst }: { firstHref: string; nextHref: string | null; isFirst: boolean }) {
  if (isFirst && !nextHref) return null;
  return (
    <nav className="pagination" aria-label="Pagination">
      {isFirst ? <span className="muted">Newest</span> : <Link href={firstHref}>← Newest</Link>}
      {nextHref ? <Link href={nextHref}>Older →</Link> : <span className="muted">No older entries</span>}
    </nav>
  );
}

/** A definition list of label → value; empty values show a dash. */
export function Fields({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <dl className="fields">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === "" ? <span className="muted">—</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A list filter's select: "any" (no filter) first, then each choice as [value, label] or a bare value. */
export function FilterSelect({ label, name, value, options }: { label: string; name: string; value: string | null | undefined; options: readonly (string | readonly [string, string])[] }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""}>
        <option value="">any</option>
        {options.map((option) => {
          const [optionValue, optionLabel] = typeof option === "string" ? [option, option] : option;
          return (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          );
        })}
      </select>
    </label>
  );
}
