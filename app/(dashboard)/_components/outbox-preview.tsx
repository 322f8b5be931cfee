import type { OutboxMessage } from "@/db/queries/outbox-messages";
import { previewSrcDoc } from "../_lib/preview-src-doc";

/**
 * The stored message as a recipient would see it. The HTML goes only into an iframe with an
 * empty `sandbox`: no scripts, no forms, no same-origin access to the dashboard. Its CSP
 * (previewSrcDoc) blocks every remote load, so viewing a message never fires its open pixel.
 */
export function OutboxPreview({ message }: { message: OutboxMessage }) {
  const headers = Object.entries(message.headers);
  return (
    <div className="preview">
      {message.html ? (
        <section>
          <h3>HTML</h3>
          <iframe
            className="html-preview"
            sandbox=""
            srcDoc={previewSrcDoc(message.html)}
            title={`HTML of the message to ${message.to}`}
            referrerPolicy="no-referrer"
          />
        </section>
      ) : null}
      <section>
        <h3>Text</h3>
        {message.text ? <pre className="text-part">{message.text}</pre> : <p className="muted">No text part.</p>}
      </section>
      <section>
        <h3>Headers</h3>
        {headers.length ? (
          <table className="headers">
            <tbody>
              {headers.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>
                    <code>{value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No extra headers.</p>
        )}
      </section>
    </div>
  );
}
