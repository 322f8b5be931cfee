import { zoneGroups, type ZoneGroup } from "@/core/automations/zone-plan";
import type { Db } from "@/db";
import { listContactZones } from "@/db/queries/date-automations";
import { getDeliverySettings } from "@/db/queries/delivery-settings";

/** A workspace's contacts grouped by the zone their local times follow (the workspace's zone for those without one). */
export async function workspaceZoneGroups(db: Db, workspaceId: string): Promise<ZoneGroup[]> {
  const settings = await getDeliverySettings(db, { workspaceId });
  return zoneGroups(await listContactZones(db, { workspaceId }), settings.timezone);
}
