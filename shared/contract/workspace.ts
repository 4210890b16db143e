import { z } from 'zod';
import { BLOTTER_VIEWS } from '../domain/blotter-views';
import { instrumentIdSchema } from './ticket';

/** How many instruments one market watch shows. */
export const MARKET_WATCH_MAX = 200;

/**
 * A person's workspace: the arrangement the screens show now, named layouts, attention settings and
 * the windows popped out. Saved per user by the host (the Electron shell in its user-data folder,
 * the headless host in its data folder) through `getWorkspace` / `saveWorkspace`; the renderer does
 * not know where. Validated at the boundary both ways, and when a layout file is imported.
 */

const colId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, { error: 'a column id is letters, digits and _ . -' });

/** One column as ag-grid states it (ColumnState), reduced to what a layout keeps. */
export const columnStateSchema = z
  .object({
    colId,
    width: z.number().int().min(20).max(2_000).optional(),
    hide: z.boolean().nullable().optional(),
    pinned: z.enum(['left', 'right']).nullable().optional(),
    sort: z.enum(['asc', 'desc']).nullable().optional(),
    sortIndex: z.number().int().min(0).max(64).nullable().optional(),
    flex: z.number().min(0).max(100).nullable().optional(),
  })
  .strict();
export type ColumnStateLayout = z.infer<typeof columnStateSchema>;

const TEXT_FILTER_TYPES = ['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank'] as const;
const NUMBER_FILTER_TYPES = ['equals', 'notEqual', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'inRange', 'blank', 'notBlank'] as const;

const textCondition = z
  .object({ filterType: z.literal('text'), type: z.enum(TEXT_FILTER_TYPES), filter: z.string().max(200).nullable().optional() })
  .strict();
const numberCondition = z
  .object({
    filterType: z.literal('number'),
    type: z.enum(NUMBER_FILTER_TYPES),
    filter: z.number().finite().nullable().optional(),
    filterTo: z.number().finite().nullable().optional(),
  })
  .strict();
const combined = <T extends z.ZodTypeAny>(filterType: 'text' | 'number', condition: T) =>
  z.object({ filterType: z.literal(filterType), operator: z.enum(['AND', 'OR']), conditions: z.array(condition).min(1).max(4) }).strict();

/** A column's filter as ag-grid's text and number filters state it: one condition, or several joined. */
export const columnFilterSchema = z.union([textCondition, numberCondition, combined('text', textCondition), combined('number', numberCondition)]);

export const blotterLayoutSchema = z
  .object({
    columns: z.array(columnStateSchema).max(64),
    filters: z.record(colId, columnFilterSchema).refine((f) => Object.keys(f).length <= 32, { error: 'at most 32 column filters' }),
    view: z.enum(BLOTTER_VIEWS).optional(),
    quickFilter: z.string().max(200).optional(),
    /** Each column's filter shown under its header. */
    filterRow: z.boolean().optional(),
  })
  .strict();
export type BlotterLayout = z.infer<typeof blotterLayoutSchema>;

/** The blotters a layout arranges: the main window's, and those of popped-out windows (`orders-<id>`). */
export const blotterIdSchema = z.string().regex(/^(orders|executions)(-[a-z0-9]{1,12})?$/, { error: 'a blotter id is orders or executions, optionally -<window id>' });

export const layoutSchema = z
  .object({
    blotters: z.record(blotterIdSchema, blotterLayoutSchema).refine((b) => Object.keys(b).length <= 16, { error: 'at most 16 blotters' }),
    panels: z
      .object({
        /** The ticket panel's width in px. */
        ticketWidth: z.number().int().min(220).max(640),
        /** The orders blotter's share of the height the two blotters share. */
        ordersShare: z.number().min(0.15).max(0.85),
        /** The market watch's height in px above the blotters (absent: the default). */
        watchHeight: z.number().int().min(60).max(1200).optional(),
      })
      .strict(),
    /** The market watch: the instruments it shows, in the person's order. */
    marketWatch: z
      .object({ instruments: z.array(instrumentIdSchema).max(MARKET_WATCH_MAX, { error: `a market watch shows at most ${MARKET_WATCH_MAX} instruments` }) })
      .strict()
      .refine((w) => new Set(w.instruments).size === w.instruments.length, { error: 'an instrument appears twice in the market watch' })
      .optional(),
  })
  .strict();
export type Layout = z.infer<typeof layoutSchema>;

export const layoutNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'a layout needs a name' })
  .max(40, { error: 'a layout name is at most 40 characters' })
  .regex(/^[^\u0000-\u001f]+$/, { error: 'a layout name is printable text' });

const ATTENTION_EVENTS = ['fill', 'reject', 'cancel', 'alert'] as const;
export type AttentionEvent = (typeof ATTENTION_EVENTS)[number];
const perEvent = z.object({ fill: z.boolean(), reject: z.boolean(), cancel: z.boolean(), alert: z.boolean() }).strict();

/** Sounds and desktop notifications per event type (off by default), and the flash on a changed cell. */
export const attentionSettingsSchema = z.object({ sounds: perEvent, notifications: perEvent, flash: z.boolean() }).strict();
export type AttentionSettings = z.infer<typeof attentionSettingsSchema>;
export const ATTENTION_EVENT_TYPES: readonly AttentionEvent[] = ATTENTION_EVENTS;

export const POPOUT_PANELS = ['orders', 'executions', 'ticket'] as const;
export type PopoutPanel = (typeof POPOUT_PANELS)[number];

/** A window popped out of the desk (headless host: a tab the desk offers to reopen at start). */
export const poppedWindowSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]{1,12}$/),
    panel: z.enum(POPOUT_PANELS),
  })
  .strict();
export type PoppedWindow = z.infer<typeof poppedWindowSchema>;

export const workspaceSchema = z
  .object({
    version: z.literal(1),
    current: layoutSchema,
    /** The named layout last applied (the one "Save" overwrites), if any. */
    activeName: layoutNameSchema.optional(),
    layouts: z.array(z.object({ name: layoutNameSchema, layout: layoutSchema }).strict()).max(50),
    attention: attentionSettingsSchema,
    windows: z.array(poppedWindowSchema).max(16),
  })
  .strict()
  .refine((w) => new Set(w.layouts.map((l) => l.name.toLowerCase())).size === w.layouts.length, { error: 'two layouts have the same name' });
export type Workspace = z.infer<typeof workspaceSchema>;

/** A layout exported to a file, as `importLayout` accepts it back. */
export const LAYOUT_FILE_FORMAT = 'meridian-desk-layout';
export const layoutFileSchema = z
  .object({ format: z.literal(LAYOUT_FILE_FORMAT, { error: `not a Meridian Desk layout file (format must be "${LAYOUT_FILE_FORMAT}")` }), version: z.literal(1), name: layoutNameSchema, layout: layoutSchema })
  .strict();
export type LayoutFile = z.infer<typeof layoutFileSchema>;

export const getWorkspaceRequestSchema = z.object({}).strict();

/** Saves the whole workspace if it is still at `baseRevision` (0: none saved yet); else CONFLICT, nothing changed. */
export const saveWorkspaceRequestSchema = z.object({ workspace: workspaceSchema, baseRevision: z.number().int().min(0) }).strict();
export type SaveWorkspaceRequest = z.infer<typeof saveWorkspaceRequestSchema>;

export interface StoredWorkspace {
  /** null: nothing saved yet (the renderer starts from its defaults). */
  readonly workspace: Workspace | null;
  /** Increments with every save; 0 before the first. */
  readonly revision: number;
}

/** Messages of a failed validation, one line per problem, each naming where it is (`layout.blotters.orders.columns.3.width: …`). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      // A record's key that fails its own schema: say why, not only "Invalid key in record".
      const message = i.code === 'invalid_key' && i.issues[0] !== undefined ? `key ${JSON.stringify(String(i.path.at(-1) ?? ''))}: ${i.issues[0].message}` : i.message;
      return i.path.length > 0 ? `${i.path.join('.')}: ${message}` : message;
    })
    .join('; ');
}
