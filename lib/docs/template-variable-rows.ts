import { CAMPAIGN_TEMPLATE_VARIABLES } from "@/lib/campaigns/campaign-template-variables";
import type { TemplateVariableSchema } from "@/lib/templates/template-variables";

export type TemplateVariableRow = {
  /** As a template writes it: `contact.first_name`, `contact.attributes.<key>`, `unsubscribe_url`. */
  name: string;
  description: string;
  example: unknown;
  /** Empty for some recipients (renders as nothing). */
  nullable: boolean;
  channels: ("email" | "sms")[];
};

function rows(schema: TemplateVariableSchema, prefix = ""): Omit<TemplateVariableRow, "channels">[] {
  return Object.entries(schema).flatMap(([name, spec]) => {
    const path = `${prefix}${name}`;
    if (spec.properties) return rows(spec.properties, `${path}.`);
    const row = { name: spec.anyProperty ? `${path}.<key>` : path, description: spec.description, example: spec.example, nullable: spec.nullable ?? false };
    return [row];
  });
}

/**
 * Every variable a campaign message's template can read, with the channels that offer it,
 * straight from CAMPAIGN_TEMPLATE_VARIABLES: the dashboard's /docs and the README list these.
 */
export function templateVariableRows(): TemplateVariableRow[] {
  const byName = new Map<string, TemplateVariableRow>();
  for (const channel of ["email", "sms"] as const) {
    for (const row of rows(CAMPAIGN_TEMPLATE_VARIABLES[channel])) {
      const known = byName.get(row.name);
      if (known) known.channels.push(channel);
      else byName.set(row.name, { ...row, channels: [channel] });
    }
  }
  return [...byName.values()];
}
