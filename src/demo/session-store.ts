import { wireSignal, type WireSession, type WireSignal } from '../agentmc-wire.js';

/*
 * The state of one stand-in server: its sessions as they change, and their signals. Sessions
 * nobody has touched come fresh from `baseline` on every read (their times relative to now, as
 * the demo has always served them); a session that changed is kept as it is from then on.
 */

/** A signal present from the start, before any request. */
export type SeedSignal = Pick<WireSignal, 'session_id' | 'sender' | 'type' | 'payload' | 'created_at'>;

export interface SessionStoreOptions {
  /** Every session the server knows, in list order, before any change. */
  baseline: (now: number) => readonly WireSession[];
  /** Signals sessions already have; they take the first ids. */
  seed?: readonly SeedSignal[];
  /** The clock (milliseconds since the epoch). @default Date.now */
  now?: () => number;
}

export class SessionStore {
  private readonly changed = new Map<number, WireSession>();
  private readonly signals = new Map<number, WireSignal[]>();
  private readonly owners = new Map<number, string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** One counter for every session: ids increase across the whole server, as database ids do. */
  private lastSignalId = 0;
  private readonly baseline: SessionStoreOptions['baseline'];
  readonly now: () => number;

  constructor({ baseline, seed = [], now = Date.now }: SessionStoreOptions) {
    this.baseline = baseline;
    this.now = now;
    for (const signal of seed) {
      const session = this.session(signal.session_id);
      if (session !== undefined) this.insert(session, { ...signal, updated_at: signal.created_at });
    }
  }

  /** The time now, as the API writes it. */
  timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** Every session, changes applied, in list order. */
  sessions(): WireSession[] {
    return this.baseline(this.now()).map((session) => this.changed.get(session.id) ?? session);
  }

  session(id: number): WireSession | undefined {
    return this.changed.get(id) ?? this.baseline(this.now()).find((session) => session.id === id);
  }

  /** Applies `fields` to session `id` (which exists) and stamps `updated_at`. */
  update(id: number, fields: Partial<WireSession>): WireSession {
    const current = this.session(id);
    if (current === undefined) throw new Error(`no session ${id}`);
    const next = { ...current, ...fields, updated_at: this.timestamp() };
    this.changed.set(id, next);
    return next;
  }

  /** Stores `session` whole, in place of its id's (so a key, the socket block, can go), stamped now. */
  replace(session: WireSession): WireSession {
    const next = { ...session, updated_at: this.timestamp() };
    this.changed.set(session.id, next);
    return next;
  }

  /** Who claimed session `id` (an owner token, or a key's digest); undefined: nobody known. */
  owner(id: number): string | undefined {
    return this.owners.get(id);
  }

  setOwner(id: number, owner: string): void {
    this.owners.set(id, owner);
  }

  /** Appends a signal to `session`, with the next id and the time now. */
  append(session: WireSession, fields: Pick<WireSignal, 'sender' | 'type' | 'payload'>): WireSignal {
    const at = this.timestamp();
    return this.insert(session, { ...fields, created_at: at, updated_at: at });
  }

  /** Up to `limit` signals of session `id` after `afterId`, in id order, without `excluded`'s. */
  after(id: number, afterId: number, limit: number, excluded?: string): WireSignal[] {
    const page: WireSignal[] = [];
    for (const signal of this.signals.get(id) ?? []) {
      if (page.length === limit) break;
      if (signal.id > afterId && signal.sender !== excluded) page.push(signal);
    }
    return page;
  }

  /** Runs `task` in `ms` unless the store is closed first; never keeps the process alive. */
  later(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    timer.unref?.();
    this.timers.add(timer);
  }

  /** Cancels every pending task. */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private insert(
    session: WireSession,
    fields: Pick<WireSignal, 'sender' | 'type' | 'payload' | 'created_at' | 'updated_at'>,
  ): WireSignal {
    this.lastSignalId += 1;
    const signal = wireSignal({
      ...fields,
      id: this.lastSignalId,
      team_id: session.team_id,
      agent_id: session.agent_id,
      session_id: session.id,
    });
    const list = this.signals.get(session.id) ?? [];
    list.push(signal);
    this.signals.set(session.id, list);
    return signal;
  }
}
