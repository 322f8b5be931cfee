"use client";

import { useSyncExternalStore } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** One bucket of a series as the chart draws it (the API's point, reduced to what is plotted). */
export type ChartPoint = { start: string; sent: number; delivered: number; uniqueOpened: number; uniqueClicked: number; machineOpened: number; machineClicked: number };

/** The lines, in legend order. Machine opens/clicks get their own dashed lines: shown, never mixed into the human ones. */
const LINES: readonly { key: keyof Omit<ChartPoint, "start">; name: string; color: string; dashed?: boolean }[] = [
  { key: "sent", name: "Sent", color: "#6b7584" },
  { key: "delivered", name: "Delivered", color: "#3553d6" },
  { key: "uniqueOpened", name: "Opened (people)", color: "#0f8a5f" },
  { key: "uniqueClicked", name: "Clicked (people)", color: "#c2410c" },
  { key: "machineOpened", name: "Machine opens", color: "#a3a9b3", dashed: true },
  { key: "machineClicked", name: "Machine clicks", color: "#d4a373", dashed: true },
];

const CHART_HEIGHT_PX = 280;

/** For useSyncExternalStore: true in the browser, false on the server and during hydration. */
const subscribeToNothing = () => () => {};

function bucketLabel(start: string, bucket: "hour" | "day", timeZone: string): string {
  const options: Intl.DateTimeFormatOptions =
    bucket === "hour" ? { timeZone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : { timeZone, month: "short", day: "numeric" };
  return new Intl.DateTimeFormat("en-US", options).format(new Date(start));
}

/**
 * The engagement series as lines (Recharts, SVG). Each dot carries its series and value as data
 * attributes, so what is drawn can be checked against what was counted. Drawn after mount only:
 * the chart measures its container, which the server cannot.
 */
export function EngagementChart({ points, bucket, timeZone, title }: { points: ChartPoint[]; bucket: "hour" | "day"; timeZone: string; title: string }) {
  const mounted = useSyncExternalStore(subscribeToNothing, () => true, () => false);
  const data = points.map((point) => ({ ...point, label: bucketLabel(point.start, bucket, timeZone) }));
  return (
    <figure className="engagement-chart" aria-label={title} data-points={points.length}>
      <div style={{ height: CHART_HEIGHT_PX }}>
        {mounted ? (
          <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
            <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid stroke="#e2e6ec" strokeDasharray="3 3" />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={24} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
              <Tooltip />
              <Legend />
              {LINES.map((line) => (
                <Line
                  key={line.key}
                  type="linear"
                  dataKey={line.key}
                  name={line.name}
                  stroke={line.color}
                  strokeWidth={2}
                  strokeDasharray={line.dashed ? "5 4" : undefined}
                  isAnimationActive={false}
                  dot={(props: { cx?: number; cy?: number; index?: number; value?: number }) => (
                    <circle
                      key={`${line.key}-${props.index}`}
                      className="chart-dot"
                      data-series={line.key}
                      data-index={props.index}
                      data-value={props.value}
                      cx={props.cx}
                      cy={props.cy}
                      r={points.length > 60 ? 0 : 3}
                      fill={line.color}
                    />
                  )}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        ) : null}
      </div>
      <figcaption className="muted">
        {title}: {bucket === "hour" ? "hours" : "days"} in {timeZone}. People: unique messages opened or clicked by a person. Machines (privacy proxies, link scanners, prefetches): dashed, counted in no rate.
      </figcaption>
    </figure>
  );
}
