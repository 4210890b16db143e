/**
 * The preload of the desk's window. Sandboxed: it may use only `contextBridge` and `ipcRenderer`, and
 * is bundled as CommonJS (out/preload/index.cjs). It exposes the DeskApi contract as
 * `window.meridianDesk` and nothing else: the page never sees ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { DeskApi } from '../../shared/contract/desk-api';
import type { Result } from '../../shared/contract/result';
import { fail } from '../../shared/contract/result';
import type { DeskStreamMessage } from '../../shared/contract/streams';
import { DESK_IPC } from './ipc-channels';

const listeners = new Map<number, (message: DeskStreamMessage) => void>();
let nextSubscriptionId = 1;

ipcRenderer.on(DESK_IPC.stream, (_event, subscriptionId: number, message: DeskStreamMessage) => {
  listeners.get(subscriptionId)?.(message);
});

const meridianDesk: DeskApi = {
  call(command, params) {
    // The main process answers every call with a Result; a rejection means the call never got there.
    return ipcRenderer.invoke(DESK_IPC.call, { command, params }).catch((e: unknown) => {
      const reason = e instanceof Error ? e.message : String(e);
      return fail('INTERNAL', `the desk did not answer: ${reason}`);
    }) as Promise<Result<never>>;
  },
  subscribe(listener) {
    const subscriptionId = nextSubscriptionId++;
    listeners.set(subscriptionId, listener);
    ipcRenderer.send(DESK_IPC.subscribe, subscriptionId);
    return () => {
      if (listeners.delete(subscriptionId)) ipcRenderer.send(DESK_IPC.unsubscribe, subscriptionId);
    };
  },
};

contextBridge.exposeInMainWorld('meridianDesk', meridianDesk);
