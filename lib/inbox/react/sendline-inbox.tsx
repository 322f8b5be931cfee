"use client";

import { type CSSProperties, useCallback, useEffect, useMemo, useRef, useState } from "react";

/**
 * Sendline's embeddable in-app inbox: a bell with the unread count, the contact's feed, mark
 * read/unread and archive, kept live by the feed's server-sent events. Plain React (no Next.js,
 * no other dependency), so a customer's app can copy this file as it is. Its only input from
 * the customer's backend is the contact's token: `hex(hmac_sha256(secret, contactId))`.
 */
export type SendlineInboxProps = {
  /** Where Sendline answers, e.g. "https://sendline.example.com"; "" for the same origin. */
  baseUrl: string;
  workspaceId: string;
  contactId: string;
  token: string;
  /** Open the panel on mount (a page that is the inbox itself); otherwise the bell opens it. */
  defaultOpen?: boolean;
  pageSize?: number;
  /** Called when a message with an action URL is clicked, instead of navigating (for a client-side router). */
  onAction?: (message: SendlineInboxMessage) => void;
};

export type SendlineInboxMessage = {
  id: string;
  messageId: string;
  category: string | null;
  title: string | null;
  body: string;
  actionUrl: string | null;
  data: Record<string, unknown>;
  seenAt: string | null;
  readAt: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

type Counts = { unread: number; unseen: number };
type View = "all" | "unread" | "archived";
type Action = "seen" | "read" | "unread" | "archive" | "unarchive";

const VIEWS: { view: View; label: string }[] = [
  { view: "all", label: "Inbox" },
  { view: "unread", label: "Unread" },
  { view: "archived", label: "Archive" },
];

/** Whether a message belongs in a view (an update may move it out, or into it). */
function inView(message: SendlineInboxMessage, view: View): boolean {
  if (view === "archived") return message.archivedAt !== null;
  if (message.archivedAt !== null) return false;
  return view === "all" || message.readAt === null;
}

const newestFirst = (a: SendlineInboxMessage, b: SendlineInboxMessage) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

export function SendlineInbox({ baseUrl, workspaceId, contactId, token, defaultOpen = false, pageSize = 20, onAction }: SendlineInboxProps) {
  const [open, setOpen] = useState(defaultOpen);
  const [view, setView] = useState<View>("all");
  const [messages, setMessages] = useState<SendlineInboxMessage[]>([]);
  const [counts, setCounts] = useState<Counts>({ unread: 0, unseen: 0 });
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<"loading" | "ready" | "error">("loading");
  const [live, setLive] = useState(false);
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  }, [view]);

  const credentials = useMemo(() => new URLSearchParams({ workspaceId, contactId, token }).toString(), [workspaceId, contactId, token]);
  const url = useCallback((path: string, extra: Record<string, string> = {}) => {
    const query = new URLSearchParams(extra).toString();
    return `${baseUrl}/api/inbox/${path}?${credentials}${query ? `&${query}` : ""}`;
  }, [baseUrl, credentials]);

  const load = useCallback(async (cursor?: string) => {
    const response = await fetch(url("messages", { view: viewRef.current, limit: String(pageSize), ...(cursor ? { cursor } : {}) }));
    if (!response.ok) throw new Error(`inbox: ${response.status}`);
    const page = (await response.json()) as { data: SendlineInboxMessage[]; nextCursor: string | null; counts: Counts };
    setMessages((current) => (cursor ? [...current, ...page.data.filter((m) => !current.some((c) => c.id === m.id))] : page.data));
    setNextCursor(page.nextCursor);
    setCounts(page.counts);
  }, [url, pageSize]);

  useEffect(() => {
    let cancelled = false;
    load()
      .then(() => !cancelled && setStatus("ready"))
      .catch(() => !cancelled && setStatus("error"));
    return () => {
      cancelled = true;
    };
  }, [load, view]);

  // Live updates: each event carries a whole message, put in place by id; EventSource reconnects by itself.
  useEffect(() => {
    const source = new EventSource(url("stream"));
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener("counts", (event) => setCounts(JSON.parse((event as MessageEvent<string>).data) as Counts));
    source.addEventListener("message", (event) => {
      const message = JSON.parse((event as MessageEvent<string>).data) as SendlineInboxMessage;
      setMessages((current) => {
        const rest = current.filter((m) => m.id !== message.id);
        return inView(message, viewRef.current) ? [...rest, message].sort(newestFirst) : rest;
      });
    });
    return () => source.close();
  }, [url]);

  const act = useCallback(async (action: Action, ids?: string[]) => {
    const response = await fetch(url("actions"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(ids ? { action, messageIds: ids } : { action }),
    });
    if (!response.ok) return;
    const result = (await response.json()) as { data: SendlineInboxMessage[]; counts: Counts };
    setCounts(result.counts);
    setMessages((current) => {
      const changed = new Map(result.data.map((m) => [m.id, m]));
      return current.map((m) => changed.get(m.id) ?? m).filter((m) => inView(m, viewRef.current));
    });
  }, [url]);

  // What the open panel shows has been seen: say so (a channel plan may be waiting for it). The
  // stream brings the changed messages and counts back, so this call sets no state itself.
  const unseenKey = open ? messages.filter((m) => m.seenAt === null).map((m) => m.id).join(",") : "";
  useEffect(() => {
    if (!unseenKey) return;
    void fetch(url("actions"), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ action: "seen", messageIds: unseenKey.split(",").slice(0, 100) }) }).catch(() => {
      // Tried again when what the panel shows changes.
    });
  }, [unseenKey, url]);

  return (
    <div className="sendline-inbox" style={styles.root}>
      <button type="button" style={styles.bell} aria-expanded={open} aria-label={`Notifications, ${counts.unread} unread`} onClick={() => setOpen(!open)}>
        <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" style={{ display: "block" }}>
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {counts.unread > 0 ? (
          <span style={styles.badge} data-testid="inbox-unread-count">
            {counts.unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <section style={styles.panel} aria-label="Inbox">
          <header style={styles.header}>
            <nav style={styles.tabs} aria-label="Inbox views">
              {VIEWS.map((item) => (
                <button
                  key={item.view}
                  type="button"
                  style={item.view === view ? styles.tabActive : styles.tab}
                  aria-pressed={item.view === view}
                  onClick={() => {
                    viewRef.current = item.view;
                    setStatus("loading");
                    setView(item.view);
                  }}
                >
                  {item.label}
                </button>
              ))}
            </nav>
            {view !== "archived" && counts.unread > 0 ? (
              <button type="button" style={styles.link} onClick={() => void act("read")}>
                Mark all read
              </button>
            ) : null}
          </header>
          <p style={styles.meta} role="status">
            {counts.unread} unread · {live ? "live" : "connecting…"}
          </p>
          {status === "error" ? <p style={styles.empty}>The inbox could not be loaded.</p> : null}
          {status === "ready" && messages.length === 0 ? <p style={styles.empty}>{view === "archived" ? "Nothing archived." : "You are all caught up."}</p> : null}
          <ul style={styles.list}>
            {messages.map((message) => (
              <li key={message.id} style={message.readAt ? styles.item : styles.itemUnread} aria-label={message.title ?? message.body}>
                <div style={styles.itemText}>
                  {message.title ? <strong style={styles.title}>{message.title}</strong> : null}
                  <span>{message.body}</span>
                  <time style={styles.time} dateTime={message.createdAt}>
                    {new Date(message.createdAt).toLocaleString()}
                  </time>
                  {message.actionUrl ? (
                    <a
                      href={message.actionUrl}
                      style={styles.action}
                      onClick={(event) => {
                        void act("read", [message.id]);
                        if (onAction) {
                          event.preventDefault();
                          onAction(message);
                        }
                      }}
                    >
                      Open
                    </a>
                  ) : null}
                </div>
                <div style={styles.itemActions}>
                  {message.readAt ? (
                    <button type="button" style={styles.link} onClick={() => void act("unread", [message.id])}>
                      Mark unread
                    </button>
                  ) : (
                    <button type="button" style={styles.link} onClick={() => void act("read", [message.id])}>
                      Mark read
                    </button>
                  )}
                  <button type="button" style={styles.link} onClick={() => void act(message.archivedAt ? "unarchive" : "archive", [message.id])}>
                    {message.archivedAt ? "Unarchive" : "Archive"}
                  </button>
                </div>
              </li>
            ))}
          </ul>
          {nextCursor ? (
            <button type="button" style={styles.more} onClick={() => void load(nextCursor)}>
              Load more
            </button>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

/** Inline so the file stands alone; a customer restyles through `.sendline-inbox` or by editing these. */
const styles: Record<string, CSSProperties> = {
  root: { position: "relative", display: "inline-block", fontFamily: "system-ui, sans-serif", fontSize: 14, color: "#1c2430" },
  bell: { position: "relative", border: "1px solid #e2e6ec", background: "#fff", borderRadius: 8, padding: 8, cursor: "pointer", color: "#1c2430" },
  badge: { position: "absolute", top: -6, right: -6, minWidth: 18, padding: "0 5px", borderRadius: 9, background: "#b42318", color: "#fff", fontSize: 12, lineHeight: "18px", textAlign: "center" },
  panel: { marginTop: 8, width: 380, maxWidth: "90vw", border: "1px solid #e2e6ec", borderRadius: 8, background: "#fff", boxShadow: "0 6px 24px rgba(0,0,0,.08)" },
  header: { display: "flex", justifyContent: "space-between", alignItems: "center", padding: "8px 12px", borderBottom: "1px solid #e2e6ec" },
  tabs: { display: "flex", gap: 4 },
  tab: { border: 0, background: "transparent", padding: "4px 8px", borderRadius: 6, cursor: "pointer", color: "#6b7584" },
  tabActive: { border: 0, background: "#eef1fd", padding: "4px 8px", borderRadius: 6, cursor: "pointer", color: "#3553d6", fontWeight: 600 },
  meta: { margin: 0, padding: "6px 12px", color: "#6b7584", fontSize: 12 },
  empty: { margin: 0, padding: "24px 12px", color: "#6b7584", textAlign: "center" },
  list: { listStyle: "none", margin: 0, padding: 0, maxHeight: 420, overflowY: "auto" },
  item: { display: "flex", gap: 8, padding: "10px 12px", borderTop: "1px solid #f0f2f5" },
  itemUnread: { display: "flex", gap: 8, padding: "10px 12px", borderTop: "1px solid #f0f2f5", background: "#f7f9ff", boxShadow: "inset 3px 0 0 #3553d6" },
  itemText: { display: "flex", flexDirection: "column", gap: 2, flex: 1, minWidth: 0, overflowWrap: "anywhere" },
  title: { fontWeight: 600 },
  time: { color: "#6b7584", fontSize: 12 },
  action: { color: "#3553d6", fontSize: 13 },
  itemActions: { display: "flex", flexDirection: "column", gap: 2, alignItems: "flex-end" },
  link: { border: 0, background: "transparent", color: "#3553d6", cursor: "pointer", padding: 0, fontSize: 12 },
  more: { width: "100%", border: 0, borderTop: "1px solid #e2e6ec", background: "#fafbfc", padding: 8, cursor: "pointer", color: "#3553d6" },
};
