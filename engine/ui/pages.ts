import type { Store } from "../store/store";
import type { RunStatus } from "../types";
import { esc, layout, time } from "./html";

const STATUSES: RunStatus[] = ["queued", "running", "completed", "failed", "cancelled"];

export async function runsPage(store: Store, q: URLSearchParams): Promise<string> {
  const fnId = q.get("fn") || undefined;
  const status = (q.get("status") || undefined) as RunStatus | undefined;
  const from = q.get("from") ? Date.parse(q.get("from") as string) : undefined;
  const to = q.get("to") ? Date.parse(q.get("to") as string) : undefined;
  const [runs, fns] = await Promise.all([store.listRuns({ fnId, status, from, to, limit: 200 }), store.listFunctions()]);
  const opt = (v: string, cur: string | undefined) => `<option value="${esc(v)}"${v === cur ? " selected" : ""}>${esc(v)}</option>`;
  const filter = `<form method="get" action="/">Function <select name="fn"><option value="">all</option>${fns.map((f) => opt(f.id, fnId)).join("")}</select>
 Status <select name="status"><option value="">all</option>${STATUSES.map((s) => opt(s, status)).join("")}</select>
 From <input name="from" type="datetime-local" value="${esc(q.get("from") ?? "")}"> To <input name="to" type="datetime-local" value="${esc(q.get("to") ?? "")}">
 <button>Filter</button></form>
 ${fnId ? `<form method="post" action="/ui/functions/${encodeURIComponent(fnId)}/replay-failed"><input type="hidden" name="from" value="${esc(q.get("from") ?? "")}"><input type="hidden" name="to" value="${esc(q.get("to") ?? "")}"><button>Replay failed runs of ${esc(fnId)} in this window</button></form>` : ""}`;
  const rows = runs
    .map(
      (r) => `<tr><td><a href="/runs/${encodeURIComponent(r.id)}">${esc(r.id)}</a></td><td>${esc(r.fn_id)}</td>
<td class="s-${esc(r.status)}">${esc(r.status)}</td><td>${esc(r.event.name)}</td><td>${esc(time(r.created_at))}</td><td>${esc(time(r.ended_at))}</td></tr>`,
    )
    .join("");
  return layout("Runs", `<h2>Runs</h2>${filter}<table><tr><th>Run</th><th>Function</th><th>Status</th><th>Event</th><th>Queued</th><th>Ended</th></tr>${rows}</table>`);
}

export async function runPage(store: Store, id: string): Promise<string | undefined> {
  const run = await store.getRun(id);
  if (!run) return undefined;
  const hist = await store.history(id);
  const timeline = hist
    .map(
      (h) => `<tr><td>${esc(time(h.at))}</td><td>${esc(h.type)}</td><td>${esc(h.name ?? h.step_id ?? "")}</td><td><pre>${esc(h.data ?? "")}</pre></td></tr>`,
    )
    .join("");
  const actions = `<form class="inline" method="post" action="/ui/runs/${encodeURIComponent(id)}/replay"><button>Replay</button></form>
 ${run.status === "queued" || run.status === "running" ? `<form class="inline" method="post" action="/ui/runs/${encodeURIComponent(id)}/cancel"><button>Cancel</button></form>` : ""}`;
  return layout(
    `Run ${id}`,
    `<h2>Run ${esc(id)}</h2><p>${actions}</p><table>
<tr><th>Function</th><td>${esc(run.fn_id)}</td></tr><tr><th>Status</th><td class="s-${esc(run.status)}">${esc(run.status)}</td></tr>
<tr><th>Queued / started / ended</th><td>${esc(time(run.created_at))} / ${esc(time(run.started_at))} / ${esc(time(run.ended_at))}</td></tr>
${run.replay_of ? `<tr><th>Replay of</th><td><a href="/runs/${encodeURIComponent(run.replay_of)}">${esc(run.replay_of)}</a></td></tr>` : ""}
<tr><th>Event(s)</th><td><pre>${esc(run.events.length > 1 ? run.events : run.event)}</pre></td></tr>
<tr><th>Output</th><td><pre>${esc(run.output ?? "")}</pre></td></tr><tr><th>Error</th><td><pre>${esc(run.error ?? "")}</pre></td></tr></table>
<h3>Timeline</h3><table><tr><th>At</th><th>What</th><th>Step</th><th>Data</th></tr>${timeline}</table>`,
  );
}

export async function eventsPage(store: Store): Promise<string> {
  const events = await store.listEvents(200);
  const rows = events
    .map((e) => `<tr><td>${esc(e.id)}</td><td>${esc(e.name)}</td><td>${esc(time(e.received_at))}</td><td><pre>${esc(e.payload.data)}</pre></td></tr>`)
    .join("");
  return layout("Events", `<h2>Events</h2><table><tr><th>Id</th><th>Name</th><th>Received</th><th>Data</th></tr>${rows}</table>`);
}

export async function functionsPage(store: Store): Promise<string> {
  const [fns, apps] = await Promise.all([store.listFunctions(), store.listApps()]);
  const appRows = apps
    .map((a) => `<tr><td>${esc(a.url)}</td><td>${esc(a.app_id ?? "")}</td><td>${esc(time(a.synced_at))}</td><td>${esc(a.error ?? "ok")}</td></tr>`)
    .join("");
  const fnRows = fns
    .map(
      (f) => `<tr><td><a href="/?fn=${encodeURIComponent(f.id)}">${esc(f.id)}</a></td><td>${esc(f.config.triggers.map((t) => ("event" in t ? t.event : `cron ${t.cron}`)).join(", "))}</td><td><pre>${esc(f.config)}</pre></td></tr>`,
    )
    .join("");
  return layout(
    "Functions",
    `<h2>Apps</h2><table><tr><th>URL</th><th>App</th><th>Synced</th><th>Status</th></tr>${appRows}</table>
<h2>Functions</h2><table><tr><th>Id</th><th>Triggers</th><th>Config</th></tr>${fnRows}</table>`,
  );
}
