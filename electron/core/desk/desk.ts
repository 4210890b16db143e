import type { AlgoDefinitions } from '../../../shared/domain/broker-algo';
import type { AlertDraft } from '../orders/order-book';
import type { DeskApi } from '../../../shared/contract/desk-api';
import type { DeskConfig } from '../config/desk-config';
import type { InstrumentMaster } from '../instruments/instrument-master';
import type { Clock } from '../time/clock';
import type { Logger } from '../log/logger';

export interface DeskOptions {
  readonly config: DeskConfig;
  /** The instrument master; default: loaded from the config's `instruments` file (desk/desk-instruments.ts). */
  readonly instruments?: InstrumentMaster;
  /** Brokers' algorithms; default: each broker's `algoDefinitions` file (desk/broker-algos.ts). */
  readonly brokerAlgos?: ReadonlyMap<string, AlgoDefinitions>;
  /** Folder for the journal (desk.sqlite) and session files. Created if missing. */
  readonly dataDir: string;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** The person's workspace file (layouts, settings). Default `<dataDir>/workspace.json`. */
  readonly workspacePath?: string;
  /** Who operates the desk (the audit trail of a person's actions). Default: the operating-system user running it. */
  readonly operator?: string;
}

/** The core: one per process. Hosts (Electron main, headless server) expose it as DeskApi. */
export interface Desk extends DeskApi {
  /** Replays the journal, then connects every broker session. Resolves when the state is restored. */
  start(): Promise<void>;
  /** Logs out of every broker and closes the journal. */
  stop(): Promise<void>;
  /** A problem the host found beside the desk (a journal backup failed): journaled and shown like any alert. */
  raiseAlert(alert: AlertDraft): void;
}
