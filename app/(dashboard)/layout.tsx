import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks } from "./_components/nav-links";
import { WorkspaceAlertsBanner } from "./_components/workspace-alerts-banner";
import { WorkspaceSwitcher } from "./_components/workspace-switcher";
import { runsUrl, safeInngestMode } from "./_lib/inngest-ui";
import { dashboardContext } from "./_lib/workspace";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // Layouts cannot read the query string; proxy.ts copies `?workspace=` into the cookie first.
  const { workspace, workspaces } = await dashboardContext();
  const mode = safeInngestMode();
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          Sendline
        </Link>
        <nav aria-label="Main">
          <NavLinks />
          <a className="runs-link" href={runsUrl(mode)} target="_blank" rel="noreferrer" title="Function runs in the Inngest server's UI">
            Runs ↗
          </a>
        </nav>
        <div className="topbar-end">
          {workspace ? (
            <WorkspaceSwitcher workspaces={workspaces.map(({ id, name }) => ({ id, name }))} currentId={workspace.id} />
          ) : (
            <span className="muted">
              no workspace yet — run <code>npm run workspace:create</code>
            </span>
          )}
        </div>
      </header>
      <main className="content">
        {workspace ? <WorkspaceAlertsBanner workspaceId={workspace.id} /> : null}
        {children}
      </main>
    </div>
  );
}
