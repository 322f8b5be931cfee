import { formatRate, type Funnel, type Rate, type RateName } from "@/core/analytics/funnel";

const n = (value: number) => value.toLocaleString("en-US");

/** Each rate with what it divides, in words a person reads next to the figure. */
const RATE_ROWS: readonly (readonly [RateName, string, string, string])[] = [
  ["deliveryRate", "Delivery rate", "delivered", "sent"],
  ["openRate", "Open rate", "unique human opens", "reached a mailbox"],
  ["clickRate", "Click rate", "unique human clicks", "reached a mailbox"],
  ["clickToOpenRate", "Click-to-open rate", "unique human clicks", "unique human opens"],
  ["bounceRate", "Bounce rate", "bounced", "sent"],
  ["hardBounceRate", "Hard-bounce rate", "hard bounces", "sent"],
  ["complaintRate", "Complaint rate", "complaints", "reached a mailbox"],
  ["unsubscribeRate", "Unsubscribe rate", "unsubscribes", "reached a mailbox"],
];

const STEP_LABELS = { sent: "Sent", delivered: "Delivered", opened: "Opened (unique, people)", clicked: "Clicked (unique, people)" } as const;

function RateCell({ rate }: { rate: Rate }) {
  return <td className="num">{formatRate(rate.value)}</td>;
}

/** The funnel sent → delivered → opened → clicked, then every rate beside its numerator and denominator; machines apart. */
export function FunnelTable({ funnel }: { funnel: Funnel }) {
  const top = Math.max(1, funnel.steps[0]!.count);
  return (
    <section aria-label="Funnel">
      <h2>Funnel</h2>
      <ol className="funnel">
        {funnel.steps.map((step) => (
          <li key={step.step} data-step={step.step}>
            <span className="funnel-label">{STEP_LABELS[step.step]}</span>
            <span className="funnel-bar" style={{ width: `${Math.max(1, (100 * step.count) / top)}%` }} />
            <span className="funnel-count">{n(step.count)}</span>
          </li>
        ))}
      </ol>
      <table className="data rates">
        <thead>
          <tr>
            <th>Rate</th>
            <th className="num">Value</th>
            <th className="num">Numerator</th>
            <th className="num">Denominator</th>
          </tr>
        </thead>
        <tbody>
          {RATE_ROWS.map(([name, label, numerator, denominator]) => (
            <tr key={name} data-rate={name}>
              <th scope="row">{label}</th>
              <RateCell rate={funnel.rates[name]} />
              <td className="num">
                {n(funnel.rates[name].numerator)} {numerator}
              </td>
              <td className="num">
                {n(funnel.rates[name].denominator)} {denominator}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted machine-counts">
        Not counted (machines): <strong>{n(funnel.machine.opened)}</strong> machine opens, <strong>{n(funnel.machine.clicked)}</strong> machine clicks. All human
        opens: {n(funnel.human.opened)}; all human clicks: {n(funnel.human.clicked)}.
      </p>
    </section>
  );
}
