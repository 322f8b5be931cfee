/** Escapes text for HTML bodies and attribute values; every dynamic value in the UI goes through it. */
export function esc(v: unknown): string {
  const s = typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v, null, 2);
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

export function time(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").replace("Z", "") : "";
}

/**
 * Long ids, URLs and stack traces wrap anywhere (overflow-wrap:anywhere also lowers a cell's
 * minimum width, so tables fit the window) instead of widening the page.
 */
export function layout(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)} · engine</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
header{background:#1d2433;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
header a{color:#cfe0ff;text-decoration:none}main{padding:16px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
pre{background:#f6f8fa;padding:8px;margin:0;max-height:300px;overflow:auto;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.s-completed{color:#137333}.s-failed{color:#c5221f}.s-cancelled{color:#777}.s-running{color:#1a73e8}.s-queued{color:#b06000}
form.inline{display:inline}button{cursor:pointer}
</style></head><body><header><strong>Sendline engine</strong><a href="/">Runs</a><a href="/events">Events</a><a href="/functions">Functions</a>
<form class="inline" method="post" action="/ui/sync"><button>Sync apps</button></form></header><main>${body}</main></body></html>`;
}
