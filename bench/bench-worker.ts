import { type ChildProcessByStdio, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { build } from "esbuild";

/**
 * A benchmark's measured side in a process of its own, so its RSS and CPU are its own: the
 * entry is bundled (esbuild; packages stay in node_modules) and run with plain node, as the
 * app runs in production, not through tsx's loader (≈ 40 MB of RSS of its own). The bundle
 * lives under node_modules/.cache for Node to resolve the packages it leaves out.
 */
export async function bundleWorker(entry: string, name: string): Promise<string> {
  const outfile = path.join(process.cwd(), "node_modules", ".cache", name, "worker.mjs");
  await build({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
  return outfile;
}

/**
 * Talks to a worker by lines: `BENCH_<WORD> {json}` lines on its stdout are messages (the last,
 * `BENCH_RESULT`, its result); anything else it prints is passed through, prefixed. The parent
 * writes its own lines to the worker's stdin.
 */
export function spawnWorker<Result>(bundle: string, args: string[], env: NodeJS.ProcessEnv, nodeOptions: string[] = []) {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeOptions, bundle, ...args], { stdio: ["pipe", "pipe", "inherit"], env });
  let resultJson: string | undefined;
  let onLine: (line: string) => void = () => {};
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.startsWith("BENCH_RESULT ")) resultJson = line.slice("BENCH_RESULT ".length);
    else if (line.startsWith("BENCH_")) onLine(line);
    else if (line) process.stderr.write(`  [worker] ${line}\n`);
  });
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child: child as ChildProcessByStdio<Writable, Readable, null>,
    alive,
    /** Resolves with the JSON of the first stdout line starting with `prefix`; rejects if the worker exits first. */
    line<T>(prefix: string): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        onLine = (line) => line.startsWith(prefix) && resolve(JSON.parse(line.slice(prefix.length)) as T);
        void closed.then((code) => reject(new Error(`worker ${args.slice(0, 2).join(" ")} exited with ${code} before ${prefix.trim()}`)));
      });
    },
    /** Waits for the worker to exit and returns its BENCH_RESULT, with the process's whole lifetime. */
    async result(): Promise<Result & { processSeconds: number }> {
      const code = await closed;
      if (code !== 0 || !resultJson) throw new Error(`worker ${args.slice(0, 2).join(" ")} exited with ${code}`);
      return { ...(JSON.parse(resultJson) as Result), processSeconds: (performance.now() - started) / 1000 };
    },
    /** Stops a worker still running (after an error in the parent), and waits for it to go. */
    async kill(): Promise<void> {
      if (!alive()) return;
      child.kill();
      await closed;
    },
  };
}

/** A worker's high-water RSS: ru_maxrss (kilobytes on Linux), and a 100 ms sample of the live figure. */
export function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;
  return {
    stop: () => {
      clearInterval(timer);
      return { maxRssMb: mb(process.resourceUsage().maxRSS * 1024), sampledPeakRssMb: mb(Math.max(peak, process.memoryUsage.rss())) };
    },
  };
}
