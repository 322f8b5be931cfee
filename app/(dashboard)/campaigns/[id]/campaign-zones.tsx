import { Time } from "../../_components/ui";

type ZoneRow = { zone: string; releaseAt: string; chunks: number; chunksDone: number; recipients: number; sent: number };

/** A local-time campaign's zones: when each is sent (its local time there) and how far it got. */
export function CampaignZones({ localSendTime, zones }: { localSendTime: string; zones: readonly ZoneRow[] }) {
  return (
    <section>
      <h2>Time zones</h2>
      {zones.length === 0 ? (
        <p className="muted">Delivered at {localSendTime} in each recipient&apos;s time zone: the zones are planned when sending starts.</p>
      ) : (
        <table className="data" aria-label="Time zones">
          <thead>
            <tr>
              <th scope="col">Zone</th>
              <th scope="col">Sends at ({localSendTime} there)</th>
              <th scope="col" className="num">
                Recipients
              </th>
              <th scope="col" className="num">
                Sent
              </th>
              <th scope="col" className="num">
                Chunks done
              </th>
            </tr>
          </thead>
          <tbody>
            {zones.map((zone) => (
              <tr key={zone.zone}>
                <td className="mono">{zone.zone}</td>
                <td>
                  <Time at={new Date(zone.releaseAt)} />
                </td>
                <td className="num">{zone.recipients.toLocaleString("en-US")}</td>
                <td className="num">{zone.sent.toLocaleString("en-US")}</td>
                <td className="num">
                  {zone.chunksDone} / {zone.chunks}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
