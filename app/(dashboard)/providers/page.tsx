import type { Metadata } from "next";
import { CHANNEL_LABELS } from "@/core/messages/channels";
import { listProviderHealth } from "@/lib/providers/provider-health";
import { PageHeader, StatusBadge, Time } from "../_components/ui";
import { param, type SearchParams } from "../_lib/search-params";
import { dashboardContext } from "../_lib/workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Providers" };

/**
 * Each channel's providers in the order they are tried, with their circuit breakers as the
 * database holds them (the same for every process): the same list as `GET /api/v1/providers`.
 */
export default async function ProvidersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { db } = await dashboardContext(param(await searchParams, "workspace"));
  const providers = await listProviderHealth(db);
  return (
    <>
      <PageHeader
        title="Providers"
        subtitle={<>Messages go to the first provider whose circuit breaker is closed; a breaker opens after repeated failures and lets one trial call through after its cool-down.</>}
      />
      {(["email", "sms", "whatsapp", "push"] as const).map((channel) => (
        <section key={channel}>
          <h2>{CHANNEL_LABELS[channel]}</h2>
          <table className="data">
            <thead>
              <tr>
                <th scope="col" className="num">Order</th>
                <th scope="col">Provider</th>
                <th scope="col">Circuit breaker</th>
                <th scope="col" className="num">Failures in window</th>
                <th scope="col">Opened</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {providers
                .filter((provider) => provider.channel === channel)
                .map((provider) => (
                  <tr key={provider.provider}>
                    <td className="num">{provider.position}</td>
                    <td>
                      {provider.provider}
                      {provider.missing ? <> (needs {provider.missing})</> : null}
                    </td>
                    <td>
                      <StatusBadge status={provider.breaker.state} />
                    </td>
                    <td className="num">{provider.breaker.failures}</td>
                    <td>{provider.breaker.openedAt ? <Time at={new Date(provider.breaker.openedAt)} /> : "—"}</td>
                    <td>{provider.breaker.lastError ?? "—"}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
