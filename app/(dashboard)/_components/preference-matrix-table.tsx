import { CHANNEL_LABELS, type Channel } from "@/core/messages/channels";
import type { PreferenceCell, PreferenceMatrix } from "@/lib/preferences/preference-matrix";

const ORIGIN: Record<PreferenceCell["origin"], string> = {
  required: "required",
  contact_category: "contact's choice",
  contact_channel: "contact's choice for the channel",
  workspace_default: "default",
};

function Cell({ cell }: { cell: PreferenceCell | undefined }) {
  if (!cell) return <td className="muted">—</td>;
  const by = cell.changedBy ? ` · ${cell.changedBy.replace("_", " ")}` : "";
  return (
    <td title={cell.changedAt ? `Changed ${cell.changedAt}` : undefined}>
      {cell.enabled ? "On" : "Off"} <span className="muted">({ORIGIN[cell.origin]}{by})</span>
    </td>
  );
}

/** A contact's effective preferences, as sending will apply them: every category × channel. */
export function PreferenceMatrixTable({ matrix, channels }: { matrix: PreferenceMatrix; channels: readonly Channel[] }) {
  return (
    <table className="data" aria-label="Preferences">
      <thead>
        <tr>
          <th scope="col">Category</th>
          {channels.map((channel) => (
            <th scope="col" key={channel}>
              {CHANNEL_LABELS[channel]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.categories.map((category) => (
          <tr key={category.key}>
            <td>
              {category.name} <code className="muted">{category.key}</code>
            </td>
            {channels.map((channel) => (
              <Cell key={channel} cell={category.channels[channel]} />
            ))}
          </tr>
        ))}
        <tr>
          <td>Uncategorised</td>
          {channels.map((channel) => (
            <Cell key={channel} cell={matrix.channels[channel]} />
          ))}
        </tr>
      </tbody>
    </table>
  );
}
