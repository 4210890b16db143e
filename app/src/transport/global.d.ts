import type { Result } from '../../../shared/contract/result';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a browser, where we use the WebSocket. */
    readonly meridianDesk?: {
      call(command: string, params: unknown): Promise<Result<unknown>>;
      subscribe(listener: (message: unknown) => void): () => void;
    };
  }
}

export {};
