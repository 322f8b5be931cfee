import { Engine, type EngineOptions } from "./engine";

export { Engine, type EngineOptions } from "./engine";
export { inProcessTransport, httpTransport, type Transport } from "./transport";
export type { RunRow, RunStatus, EngineEvent } from "./types";

export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}
