import Link from "next/link";
import type { Message } from "@/db/queries/messages";
import { Empty, StatusBadge, Time } from "./ui";

export function MessagesTable({ messages, showKind = false }: { messages: Message[]; showKind?: boolean }) {
  if (!messages.length) return <Empty>No messages yet.</Empty>;
  return (
    <table className="data">
      <thead>
        <tr>
          <th scope="col">Queued</th>
          <th scope="col">Status</th>
          <th scope="col">Channel</th>
          {showKind ? <th scope="col">Kind</th> : null}
          <th scope="col">Recipient</th>
          <th scope="col">Subject</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((message) => (
          <tr key={message.id}>
            <td className="nowrap">
              <Link href={`/notifications/${message.id}`}>
                <Time at={message.queuedAt} />
              </Link>
            </td>
            <td>
              <StatusBadge status={message.status} />
            </td>
            <td>{message.channel}</td>
            {showKind ? <td>{message.kind}</td> : null}
            <td className="mono">{message.recipient}</td>
            <td className="truncate">{message.subject ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
