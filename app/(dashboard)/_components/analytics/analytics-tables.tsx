import { formatRate, type Rate } from "@/core/analytics/funnel";
import { Empty } from "../ui";

const n = (value: number) => value.toLocaleString("en-US");

type LinkRow = { url: string; clicked: number; uniqueClicked: number; machineClicked: number; lastClickedAt: string | null };
type DomainRow = { domain: string; sent: number; delivered: number; uniqueOpened: number; uniqueClicked: number; bounced: number; complained: number; rates: Record<string, Rate> };

/** Most clicked links, human clicks first, machine clicks in their own column. */
export function LinksTable({ links }: { links: LinkRow[] }) {
  return (
    <section aria-label="Top links">
      <h2>Top links</h2>
      {links.length === 0 ? (
        <Empty>No clicks yet.</Empty>
      ) : (
        <table className="data links">
          <thead>
            <tr>
              <th>Link</th>
              <th className="num">Unique clicks</th>
              <th className="num">Clicks</th>
              <th className="num">Machine clicks</th>
            </tr>
          </thead>
          <tbody>
            {links.map((link) => (
              <tr key={link.url}>
                <td className="mono wrap">{link.url}</td>
                <td className="num">{n(link.uniqueClicked)}</td>
                <td className="num">{n(link.clicked)}</td>
                <td className="num">{n(link.machineClicked)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Deliverability by mailbox provider: each domain's counts and its rates with their denominators. */
export function DomainsTable({ domains }: { domains: DomainRow[] }) {
  const pct = (rate: Rate | undefined) => (rate ? `${formatRate(rate.value)} (${n(rate.numerator)}/${n(rate.denominator)})` : "—");
  return (
    <section aria-label="By recipient domain">
      <h2>By recipient domain</h2>
      {domains.length === 0 ? (
        <Empty>No email sent yet.</Empty>
      ) : (
        <table className="data domains">
          <thead>
            <tr>
              <th>Domain</th>
              <th className="num">Sent</th>
              <th className="num">Delivered</th>
              <th className="num">Bounce rate</th>
              <th className="num">Open rate</th>
              <th className="num">Click rate</th>
              <th className="num">Complaint rate</th>
            </tr>
          </thead>
          <tbody>
            {domains.map((row) => (
              <tr key={row.domain}>
                <td className="mono">{row.domain}</td>
                <td className="num">{n(row.sent)}</td>
                <td className="num">{n(row.delivered)}</td>
                <td className="num">{pct(row.rates.bounceRate)}</td>
                <td className="num">{pct(row.rates.openRate)}</td>
                <td className="num">{pct(row.rates.clickRate)}</td>
                <td className="num">{pct(row.rates.complaintRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/** Day of week × local hour of human opens + clicks; the darker, the more. Machines are counted apart below it. */
export function HeatMapTable({ heatMap }: { heatMap: { timeZone: string; cells: { dayOfWeek: number; hour: number; opens: number; clicks: number }[]; machineOpens: number; machineClicks: number } }) {
  const byCell = new Map(heatMap.cells.map((cell) => [`${cell.dayOfWeek}-${cell.hour}`, cell]));
  const max = Math.max(1, ...heatMap.cells.map((cell) => cell.opens + cell.clicks));
  return (
    <section aria-label="Best hours">
      <h2>Best hours</h2>
      <p className="muted">
        Human opens and clicks by day of week and hour in {heatMap.timeZone}. Machine opens ({n(heatMap.machineOpens)}) and clicks ({n(heatMap.machineClicks)}) are left out.
      </p>
      {heatMap.cells.length === 0 ? <Empty>No human opens or clicks in this range yet.</Empty> : null}
      <div className="heat-map-scroll">
        <table className="heat-map">
          <thead>
            <tr>
              <th />
              {HOURS.map((hour) => (
                <th key={hour} scope="col">
                  {String(hour).padStart(2, "0")}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {DAYS.map((day, index) => (
              <tr key={day}>
                <th scope="row">{day}</th>
                {HOURS.map((hour) => {
                  const cell = byCell.get(`${index + 1}-${hour}`);
                  const total = cell ? cell.opens + cell.clicks : 0;
                  const label = `${day} ${String(hour).padStart(2, "0")}:00: ${cell?.opens ?? 0} opens, ${cell?.clicks ?? 0} clicks`;
                  return (
                    <td
                      key={hour}
                      title={label}
                      aria-label={label}
                      data-opens={cell?.opens ?? 0}
                      data-clicks={cell?.clicks ?? 0}
                      style={total > 0 ? { background: `rgba(53, 83, 214, ${(0.15 + (0.85 * total) / max).toFixed(3)})` } : undefined}
                    />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
