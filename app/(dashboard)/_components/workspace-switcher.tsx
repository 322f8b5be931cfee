"use client";

import { usePathname } from "next/navigation";

type Option = { id: string; name: string };

/**
 * A plain GET form, so it works without JavaScript too. Switching from a detail page goes to
 * its section's list: the same id would not exist in another workspace.
 */
export function WorkspaceSwitcher({ workspaces, currentId }: { workspaces: Option[]; currentId: string }) {
  const pathname = usePathname();
  const section = `/${pathname.split("/")[1] ?? ""}`;
  return (
    <form className="workspace-switcher" method="get" action={section}>
      <label htmlFor="workspace-select">Workspace</label>
      <select
        id="workspace-select"
        name="workspace"
        key={currentId}
        defaultValue={currentId}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
      >
        {workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit">Switch</button>
      </noscript>
    </form>
  );
}
