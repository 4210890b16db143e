import type { DeskApi } from '../../../shared/contract/desk-api';

export type ConnectionState =
  | 'connecting' // first attempt in progress
  | 'connected'
  | 'reconnecting' // lost; retrying with backoff
  | 'unavailable'; // cannot connect at all (no token, no host): needs the person to act

export interface ConnectionStatus {
  readonly state: ConnectionState;
  readonly transport: 'websocket' | 'ipc';
  readonly detail?: string;
}

/** A DeskApi plus what the UI needs to show about the link itself. */
export interface DeskTransport extends DeskApi {
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  start(): void;
  stop(): void;
}

/** Every call gets an answer within this time, even if the answer is "no answer". */
export const CALL_TIMEOUT_MS = 10_000;
