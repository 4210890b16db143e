/**
 * The IPC channels of the desk, named once for both ends (electron/main/ipc.ts serves them,
 * electron/preload/index.ts uses them). Nothing else may use ipcMain or ipcRenderer.
 *
 *   call         renderer → main, invoke: { command, params } → Result
 *   subscribe    renderer → main, send: subscriptionId (a number the preload chooses)
 *   unsubscribe  renderer → main, send: subscriptionId
 *   stream       main → renderer: (subscriptionId, DeskStreamMessage); a snapshot first, then deltas
 */
export const DESK_IPC = {
  call: 'desk:call',
  subscribe: 'desk:subscribe',
  unsubscribe: 'desk:unsubscribe',
  stream: 'desk:stream',
} as const;
