/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** What the preload exposes in the desktop app (absent in a browser). */
interface BwdcIpc {
  invoke(method: string, args: unknown[]): Promise<unknown>;
}

interface Window {
  bwdcIpc?: BwdcIpc;
}
