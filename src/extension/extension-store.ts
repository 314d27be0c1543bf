import type { IAgentRuntime } from '@elizaos/core';
import { KeyedMutex } from '../shared/keyed-mutex.js';
import {
  EXTENSION_BOUNDS,
  ExtensionStateSchema,
  type ExtensionOffer,
  type ExtensionState,
  type LedgerEntry,
} from './extension-records.js';

const CACHE_KEY = 'plugin-dynamic:extension:v1';
const HOUR_MS = 3_600_000;
const EMPTY: ExtensionState = { version: 1, offers: [], ledger: [] };

/**
 * Pending offers and the ledger of extensions, in the agent's database through the runtime's cache
 * (so a restart keeps them). One document, changed under one lock; read back through its schema,
 * and a document that does not parse is dropped (logged) rather than trusted.
 */
export class ExtensionStore {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly runtime: IAgentRuntime,
    private readonly now: () => number = Date.now,
  ) {}

  /** This person's live offers in this room: at most one waiting for a yes, and one waiting for settings. */
  async offersFor(roomId: string, entityId: string): Promise<{ offered?: ExtensionOffer; awaiting?: ExtensionOffer }> {
    const mine = (await this.read()).offers.filter((o) => o.roomId === roomId && o.entityId === entityId);
    const offered = mine.find((o) => o.state === 'offered');
    const awaiting = mine.find((o) => o.state === 'awaiting-settings');
    return { ...(offered ? { offered } : {}), ...(awaiting ? { awaiting } : {}) };
  }

  /** Every live offer in a room (for the provider). */
  async offersIn(roomId: string): Promise<ExtensionOffer[]> {
    return (await this.read()).offers.filter((o) => o.roomId === roomId);
  }

  /** Offers waiting for a plugin's settings. */
  async awaitingSettings(): Promise<ExtensionOffer[]> {
    return (await this.read()).offers.filter((o) => o.state === 'awaiting-settings');
  }

  /**
   * Keeps an offer, replacing this person's earlier one in the room in the same state (a new offer
   * leaves a plugin waiting for its settings alone); the oldest go past the bound.
   */
  async putOffer(offer: ExtensionOffer): Promise<void> {
    await this.change((state) => {
      const same = (o: ExtensionOffer) => o.roomId === offer.roomId && o.entityId === offer.entityId && o.state === offer.state;
      const others = state.offers.filter((o) => o.id !== offer.id && !same(o));
      return { ...state, offers: [...others, offer].slice(-EXTENSION_BOUNDS.offers) };
    });
  }

  async dropOffer(id: string): Promise<void> {
    await this.change((state) => ({ ...state, offers: state.offers.filter((o) => o.id !== id) }));
  }

  /** Extensions made in the last hour. */
  async lastHour(): Promise<LedgerEntry[]> {
    const since = this.now() - HOUR_MS;
    return (await this.read()).ledger.filter((e) => e.at > since);
  }

  /**
   * Records an extension if the hour's count is under `limit`; false (nothing written) when it is not.
   * Checked and written under the lock, so two yeses at once cannot both pass the last slot.
   */
  async record(entry: LedgerEntry, limit: number): Promise<{ recorded: boolean; count: number }> {
    let outcome = { recorded: false, count: 0 };
    await this.change((state) => {
      const since = this.now() - HOUR_MS;
      const count = state.ledger.filter((e) => e.at > since).length;
      outcome = { recorded: count < limit, count };
      if (!outcome.recorded) return state;
      return { ...state, ledger: [...state.ledger, entry].slice(-EXTENSION_BOUNDS.ledger) };
    });
    return outcome;
  }

  private async change(edit: (state: ExtensionState) => ExtensionState): Promise<void> {
    await this.mutex.run('state', async () => {
      const next = edit(await this.read());
      const ok = await this.runtime.setCache(CACHE_KEY, ExtensionStateSchema.parse(next));
      if (!ok) throw new Error('the agent database did not store the self-extension state');
    });
  }

  /** The stored document without expired offers. */
  private async read(): Promise<ExtensionState> {
    const raw = await this.runtime.getCache<unknown>(CACHE_KEY);
    if (raw === undefined || raw === null) return EMPTY;
    const parsed = ExtensionStateSchema.safeParse(raw);
    if (!parsed.success) {
      this.runtime.logger.warn({ src: 'plugin-dynamic:extension', code: 'STATE_CORRUPT' }, '[STATE_CORRUPT] The stored self-extension state was unreadable and is started afresh.');
      return EMPTY;
    }
    const now = this.now();
    return { ...parsed.data, offers: parsed.data.offers.filter((o) => o.expiresAt > now) };
  }
}

const stores = new WeakMap<IAgentRuntime, ExtensionStore>();

/** The one store of a runtime, so every action and provider call shares its lock. */
export function extensionStore(runtime: IAgentRuntime): ExtensionStore {
  let store = stores.get(runtime);
  if (!store) {
    store = new ExtensionStore(runtime);
    stores.set(runtime, store);
  }
  return store;
}
