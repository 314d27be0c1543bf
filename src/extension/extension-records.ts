import { z } from 'zod';
import { ISOLATION_MODES, TRUST_TIERS } from '../management/vocabulary.js';

/*
 * The records self-extension keeps in the agent's database (through the runtime's cache): the offer
 * waiting for a person's yes in one room, and the ledger of extensions already made (the hourly
 * limit and the audit of who asked). Every list is bounded; everything read back is parsed again.
 */

export const EXTENSION_BOUNDS = {
  /** Offers kept at once, across every room (the oldest go first). */
  offers: 50,
  /** An offer not answered within this time is forgotten. */
  offerTtlMs: 30 * 60_000,
  /** An installed plugin that waits for its settings waits this long for them. */
  awaitSettingsMs: 24 * 3_600_000,
  /** Ledger entries kept (the hour's and the latest before it, for the audit). */
  ledger: 200,
  /** The most of a request kept and quoted. */
  requestChars: 1_000,
  /** Options in one offer. */
  options: 2,
} as const;

const Setting = z.object({ name: z.string().max(100), required: z.boolean(), sensitive: z.boolean() });

const Placement = { trust: z.enum(TRUST_TIERS), runs: z.enum(ISOLATION_MODES) };

export const InstallOptionSchema = z.object({
  kind: z.literal('install'),
  /** The registry name, installed as written. */
  name: z.string().min(1).max(214),
  /** The 1.x release npm confirmed, when known. */
  version: z.string().max(64).optional(),
  description: z.string().max(300),
  /** Undefined when npm could not be asked: the install reads them. */
  settings: z.array(Setting).max(30).optional(),
  /** The permissions it declares, in words; undefined when unknown. */
  permissions: z.array(z.string().max(300)).max(10).optional(),
  ...Placement,
  /** Which ranked source found it ("registry", or a source added later such as a fleet store). */
  foundIn: z.string().max(40),
});

export const CreateOptionSchema = z.object({
  kind: z.literal('create'),
  pluginName: z.string().min(1).max(214),
  /** The specification in its input form (parsed again before a job starts). */
  spec: z.record(z.string(), z.unknown()),
  /** One line per component, for the offer. */
  summary: z.array(z.string().max(300)).max(25),
  settings: z.array(Setting).max(30),
  permissions: z.array(z.string().max(300)).max(10),
  ...Placement,
});

export const ExtensionOptionSchema = z.discriminatedUnion('kind', [InstallOptionSchema, CreateOptionSchema]);
export type ExtensionOption = z.output<typeof ExtensionOptionSchema>;
export type InstallOption = z.output<typeof InstallOptionSchema>;
export type CreateOption = z.output<typeof CreateOptionSchema>;

export const EXTENSION_OFFER_STATES = ['offered', 'awaiting-settings'] as const;

export const ExtensionOfferSchema = z.object({
  id: z.string().uuid(),
  roomId: z.string().min(1).max(100),
  /** Who asked; only they can accept. */
  entityId: z.string().min(1).max(100),
  request: z.string().min(1).max(EXTENSION_BOUNDS.requestChars),
  /** The message that asked, answered once the plugin is loaded. */
  requestMessageId: z.string().max(100).optional(),
  options: z.array(ExtensionOptionSchema).min(1).max(EXTENSION_BOUNDS.options),
  state: z.enum(EXTENSION_OFFER_STATES),
  /** With `awaiting-settings`: the plugin installed, and the settings it waits for. */
  plugin: z.string().max(214).optional(),
  missing: z.array(z.string().max(100)).max(30).optional(),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type ExtensionOffer = z.output<typeof ExtensionOfferSchema>;

export const LedgerEntrySchema = z.object({
  at: z.number().int(),
  entityId: z.string().max(100),
  roomId: z.string().max(100),
  kind: z.enum(['install', 'create']),
  plugin: z.string().max(214),
  request: z.string().max(EXTENSION_BOUNDS.requestChars),
});
export type LedgerEntry = z.output<typeof LedgerEntrySchema>;

export const ExtensionStateSchema = z.object({
  version: z.literal(1),
  offers: z.array(ExtensionOfferSchema).max(EXTENSION_BOUNDS.offers),
  ledger: z.array(LedgerEntrySchema).max(EXTENSION_BOUNDS.ledger),
});
export type ExtensionState = z.output<typeof ExtensionStateSchema>;
