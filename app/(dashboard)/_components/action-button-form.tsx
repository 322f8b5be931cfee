"use client";

/**
 * A one-button form for a server action: hidden fields, an optional "are you sure?" prompt, and
 * the action's outcome beside the button. Works without JavaScript (a plain POST); the caller
 * holds the action's state (useActionState) and hands it in.
 */
export function ActionButtonForm({
  formAction,
  pending,
  state,
  fields,
  label,
  confirm,
}: {
  formAction: (payload: FormData) => void;
  pending: boolean;
  state: { ok: boolean; message: string | null };
  /** Sent as hidden inputs; an empty value is left out. */
  fields: Record<string, string | undefined>;
  label: string;
  confirm?: string;
}) {
  return (
    <form className="inline-form" action={formAction} aria-busy={pending}>
      {Object.entries(fields).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <button
        type="submit"
        disabled={pending}
        onClick={(event) => {
          if (confirm && !window.confirm(confirm)) event.preventDefault();
        }}
      >
        {label}
      </button>{" "}
      <span role="status" className={state.ok ? "muted" : "error-text"}>
        {state.message}
      </span>
    </form>
  );
}
