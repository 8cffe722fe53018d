/** The webview's channel to the extension host: typed messages and the persisted ViewState. */
import type { HostToView, ViewState, ViewToHost } from '../src/shared/protocol';
import { sanitizeViewState } from './state';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
function vscode(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** Sends a request to the host. */
export function post(message: ViewToHost): void {
  vscode().postMessage(message);
}

/** The state saved before a reload (validated), or the defaults. */
export function loadState(): ViewState {
  return sanitizeViewState(vscode().getState());
}

/** Saves the state so it survives the panel being hidden or reloaded. */
export function saveState(state: ViewState): void {
  vscode().setState(state);
}

/** Calls `handler` for every message the host posts. */
export function onHostMessage(handler: (message: HostToView) => void): void {
  window.addEventListener('message', (event: MessageEvent<HostToView>) => {
    const data = event.data;
    if (data && typeof data === 'object' && typeof (data as { type?: unknown }).type === 'string') handler(data);
  });
}
