import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import type { DeskApi } from '../../shared/contract/desk-api';
import type { Result } from '../../shared/contract/result';
import { fail } from '../../shared/contract/result';
import { MAX_WIRE_MESSAGE_BYTES, wireRequestSchema } from '../../shared/contract/wire';
import type { Logger } from '../core/log/logger';
import { dispatchCommand } from '../host/dispatch';
import { ConnectionQuoteHolders } from '../host/quote-holder-release';
import { DESK_IPC } from '../preload/ipc-channels';
import { pacedListener } from '../core/desk/stream-publisher';
import { systemClock } from '../core/time/clock';
import { exceedsSize } from './ipc-request-size';

/**
 * The only module that touches ipcMain (type imports only from 'electron', so it runs in plain Node
 * tests with a fake). It serves the DeskApi contract on the channels of DESK_IPC:
 *  - allow-list: one invoke channel for every command, its name checked against COMMAND_NAMES
 *    (wireRequestSchema) and its params against the command's schema (parseCommand);
 *  - sender check: every message must come from a frame `isTrustedFrame` accepts (our renderer's
 *    main frame); anything else is refused and logged;
 *  - size: a call larger than a WebSocket message may be (MAX_WIRE_MESSAGE_BYTES, the same limit
 *    as the headless host's) is refused before it is validated;
 *  - streams: one desk subscription per (window, subscription id), pushed with webContents.send and
 *    ended when the page unsubscribes, reloads or navigates, or the window goes away.
 */
export interface DeskIpcOptions {
  readonly desk: DeskApi;
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>;
  readonly isTrustedFrame: (frame: WebFrameMain) => boolean;
  readonly log: Logger;
}

export interface DeskIpc {
  /** Removes the handlers and ends every subscription (before the desk stops). */
  dispose(): void;
}

const ipcCallSchema = wireRequestSchema.omit({ id: true });

interface WindowSubscriptions {
  readonly byId: Map<number, () => void>;
  /** The quote holders the window subscribed with: released with the window. */
  readonly quoteHolders: ConnectionQuoteHolders;
  readonly detach: () => void;
}

export function serveDeskOverIpc(options: DeskIpcOptions): DeskIpc {
  const { desk, ipcMain, isTrustedFrame, log } = options;
  const windows = new Map<WebContents, WindowSubscriptions>();

  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent, channel: string): boolean => {
    const frame = event.senderFrame;
    if (frame !== null && isTrustedFrame(frame)) return true;
    log.warn('IPC refused: untrusted sender', { channel, url: frame?.url.slice(0, 200) });
    return false;
  };

  const onCall = async (event: IpcMainInvokeEvent, request: unknown): Promise<Result<unknown>> => {
    if (!trusted(event, DESK_IPC.call)) throw new Error('refused');
    if (exceedsSize(request, MAX_WIRE_MESSAGE_BYTES)) {
      log.warn('IPC refused: request too large', { limitBytes: MAX_WIRE_MESSAGE_BYTES });
      return fail('INVALID_REQUEST', `request too large: more than ${MAX_WIRE_MESSAGE_BYTES} bytes`);
    }
    const parsed = ipcCallSchema.safeParse(request);
    if (!parsed.success) return fail('INVALID_REQUEST', `invalid request: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    const result = await dispatchCommand(desk, parsed.data.command, parsed.data.params, log);
    windowOf(event.sender).quoteHolders.noted(parsed.data.command, result);
    return result;
  };

  const windowOf = (contents: WebContents): WindowSubscriptions => {
    const existing = windows.get(contents);
    if (existing !== undefined) return existing;
    const endAll = () => endWindow(contents);
    const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }) => {
      // A reload or navigation starts a new page with its own subscriptions.
      if (details.isMainFrame && !details.isSameDocument) endAll();
    };
    contents.once('destroyed', endAll);
    contents.on('did-start-navigation', onNavigation);
    const created: WindowSubscriptions = {
      byId: new Map(),
      quoteHolders: new ConnectionQuoteHolders(desk, log),
      detach: () => {
        contents.removeListener('destroyed', endAll);
        contents.removeListener('did-start-navigation', onNavigation);
      },
    };
    windows.set(contents, created);
    return created;
  };

  const endWindow = (contents: WebContents): void => {
    const subscriptions = windows.get(contents);
    if (subscriptions === undefined) return;
    windows.delete(contents);
    subscriptions.detach();
    for (const unsubscribe of subscriptions.byId.values()) safely(unsubscribe, log);
    void subscriptions.quoteHolders.releaseAll();
  };

  const onSubscribe = (event: IpcMainEvent, subscriptionId: unknown): void => {
    if (!trusted(event, DESK_IPC.subscribe) || !isSubscriptionId(subscriptionId)) return;
    const contents = event.sender;
    const subscriptions = windowOf(contents);
    const previous = subscriptions.byId.get(subscriptionId);
    if (previous !== undefined) safely(previous, log);
    let ended = false;
    // The core publishes every turn; a window gets at most one batch per stream per frame.
    const paced = pacedListener((message) => {
      if (ended) return;
      if (contents.isDestroyed()) {
        endWindow(contents);
        return;
      }
      contents.send(DESK_IPC.stream, subscriptionId, message);
    }, systemClock);
    const unsubscribe = desk.subscribe(paced.listener);
    subscriptions.byId.set(subscriptionId, () => {
      ended = true;
      paced.close();
      unsubscribe();
    });
  };

  const onUnsubscribe = (event: IpcMainEvent, subscriptionId: unknown): void => {
    if (!trusted(event, DESK_IPC.unsubscribe) || !isSubscriptionId(subscriptionId)) return;
    const subscriptions = windows.get(event.sender);
    const unsubscribe = subscriptions?.byId.get(subscriptionId);
    if (unsubscribe === undefined) return;
    subscriptions!.byId.delete(subscriptionId);
    safely(unsubscribe, log);
  };

  ipcMain.handle(DESK_IPC.call, onCall);
  ipcMain.on(DESK_IPC.subscribe, onSubscribe);
  ipcMain.on(DESK_IPC.unsubscribe, onUnsubscribe);

  return {
    dispose() {
      ipcMain.removeHandler(DESK_IPC.call);
      ipcMain.removeListener(DESK_IPC.subscribe, onSubscribe);
      ipcMain.removeListener(DESK_IPC.unsubscribe, onUnsubscribe);
      for (const contents of [...windows.keys()]) endWindow(contents);
    },
  };
}

function isSubscriptionId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function safely(fn: () => void, log: Logger): void {
  try {
    fn();
  } catch (e) {
    log.error('desk unsubscribe threw', { error: String(e) });
  }
}
