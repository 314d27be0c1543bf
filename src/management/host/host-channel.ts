import type { Duplex } from 'node:stream';
import { checkHostFrame, type HostRequestFrame } from './host-frames.js';
import { encodeFrame, readFrames } from './json-frames.js';

/** The bounds one host's channel is held to. */
export interface ChannelLimits {
  /** Largest frame the host may send. */
  maxFrameBytes: number;
  /** The agent stops reading the host's requests while more than this is written but unsent to it. */
  maxUnsentBytes: number;
  /** Host requests the agent works on at once; the rest wait, and reading stops meanwhile. */
  maxInFlight: number;
  /** Host requests started per second (a token bucket of `burst` tokens refilled at this rate). */
  callsPerSecond: number;
  burst: number;
  /** Largest answer the agent sends to one request: a larger one is replaced by an error. */
  maxReplyBytes: number;
}

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = {
  maxFrameBytes: 2 * 1024 * 1024,
  maxUnsentBytes: 2 * 1024 * 1024,
  maxInFlight: 8,
  callsPerSecond: 200,
  burst: 50,
  maxReplyBytes: 2 * 1024 * 1024,
};

/** What the channel saw, for status and tests. */
export interface ChannelStats {
  requests: number;
  responses: number;
  /** Most requests waiting at once (read, not yet started). */
  maxQueued: number;
  maxInFlight: number;
  /** Most bytes written to the host but not yet taken by it. */
  maxUnsentBytes: number;
  /** Answers replaced by an error because they were too large. */
  oversizeReplies: number;
  /** Requests answered at once with an error because too many were waiting. */
  refusedRequests: number;
  /** Now: requests waiting to start, and started but not finished. */
  queued: number;
  inFlight: number;
}

type OnMessage = (data: unknown) => unknown;

/**
 * Requests (and their characters) that may wait to be started. Reading never pauses for them (the
 * host's answers to the agent's own calls come on the same stream, behind them): a request past
 * either bound is answered at once with an error, and an event past it is dropped.
 */
const MAX_QUEUED = 1_024;
const MAX_QUEUED_CHARS = 8 * 1024 * 1024;
/**
 * What one turn of the event loop may do for a host before everything else gets its turn: the
 * system hands over tens of kilobytes of a pipe in one read (a thousand small frames), and every
 * request started may run synchronous work of its own in the same turn (a database query in
 * PGLite runs in WebAssembly, resolved through microtasks). Frames past the bound wait, already
 * read, for the next turn, and reading is paused meanwhile; requests past it start next turn.
 */
const FRAMES_PER_TURN = 128;
/**
 * Time one turn may spend on a host's frames and requests, looked at every FRAMES_PER_CLOCK frames
 * and before every start after the first. A request's own work (a query, the encoding of a large
 * answer) cannot be split, so a turn starts them one at a time: the next only when the work of
 * the last has run and the turn still has time.
 */
const TURN_BUDGET_MS = 5;
const FRAMES_PER_CLOCK = 16;
const STARTS_PER_TURN = 4;
/** The error a request gets when too many wait, encoded once. */
const QUEUE_FULL_ERROR = JSON.stringify({
  name: 'PluginDynamicError',
  code: 'HOST_LIMIT_REACHED',
  message: `More than ${MAX_QUEUED} calls of this isolated plugin are waiting for the agent; try again when they have finished.`,
});
/** Shortest wait before the token bucket is looked at again. */
const REFILL_MS = 20;
/** Ids of the agent's own recent calls, so a response to a call never made is refused. */
const MAX_OWN_CALL_IDS = 16_384;

/**
 * The agent's end of one host's channel, between the stream and birpc. Every frame the host sends
 * is checked by its shape first; a bad one ends the channel through `onViolation`. The host's
 * requests go through a queue that starts at most `maxInFlight` at once and `callsPerSecond`, and
 * only while the agent's unsent answers to this host are under `maxUnsentBytes`; reading stops
 * while those answers are over the bound, so a host that does not read fills its own buffers, not
 * the agent's. Requests past the waiting bounds are refused with an error at once. No turn of the
 * agent's event loop does more than a bounded share of a host's work (FRAMES_PER_TURN, STARTS_PER_TURN,
 * TURN_BUDGET_MS): the rest waits for the next turn, so a flood slows its own plugin, not the agent.
 */
export class HostChannel {
  private deliver: OnMessage | undefined;
  /** Requests read and checked, not yet started; `queueHead` is the first (no per-request shift). */
  private queue: ({ frame: HostRequestFrame; chars: number } | undefined)[] = [];
  private queueHead = 0;
  private queuedChars = 0;
  /**
   * Frames read but not yet checked, because this turn's budget was spent. Reading is paused while
   * any wait, so they are at most the rest of one read.
   */
  private inbox: ({ value: unknown; chars: number } | undefined)[] = [];
  private inboxHead = 0;
  /** This turn's work, until the setImmediate that ends it. */
  private turn: { frames: number; starts: number; startedAt: number } | undefined;
  private inFlight = 0;
  private tokens: number;
  private refilledAt = Date.now();
  private refillTimer: NodeJS.Timeout | undefined;
  private violated = false;
  private corked = false;
  private readonly ownCalls = new Set<string>();
  private readonly counts: Omit<ChannelStats, 'queued' | 'inFlight'> = { requests: 0, responses: 0, maxQueued: 0, maxInFlight: 0, maxUnsentBytes: 0, oversizeReplies: 0, refusedRequests: 0 };

  constructor(
    private readonly stream: Duplex,
    private readonly limits: ChannelLimits,
    private readonly onViolation: (reason: string) => void,
  ) {
    this.tokens = limits.burst;
    stream.on('drain', () => this.pump());
    stream.once('close', () => this.stop());
  }

  /** birpc's `post`. */
  readonly post = (data: string): void => {
    if (this.stream.destroyed || this.stream.writableEnded) return;
    // Frames written in one turn (answers, refusals of a burst) leave in one write, not one each.
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => {
        this.corked = false;
        this.stream.uncork();
      });
    }
    this.stream.write(data);
    this.counts.maxUnsentBytes = Math.max(this.counts.maxUnsentBytes, this.stream.writableLength);
  };

  /** birpc's `on`: frames reach birpc only through the checks. */
  readonly on = (onMessage: OnMessage): void => {
    this.deliver = onMessage;
    readFrames(
      this.stream,
      this.limits.maxFrameBytes,
      (frame, chars) => this.accept(frame, chars),
      () => this.violation(`a frame larger than ${this.limits.maxFrameBytes} bytes`),
      () => this.violation('a frame that is not JSON'),
    );
  };

  /** birpc's `serialize`: notes the agent's own call ids, and bounds each answer's size. */
  readonly serialize = (message: unknown): string => {
    const m = message as { t?: string; i?: string; r?: unknown };
    if (m.t === 'q' && typeof m.i === 'string') this.noteOwnCall(m.i);
    const line = encodeFrame(message);
    if (m.t !== 's' || line.length <= this.limits.maxReplyBytes / 4 || Buffer.byteLength(line) <= this.limits.maxReplyBytes) return line;
    this.counts.oversizeReplies++;
    return encodeFrame({
      t: 's',
      i: m.i,
      e: { name: 'PluginDynamicError', code: 'HOST_LIMIT_REACHED', message: `The answer is larger than ${this.limits.maxReplyBytes} bytes, the bound of one answer to an isolated plugin.` },
    });
  };

  stats(): ChannelStats {
    return { ...this.counts, queued: this.queue.length - this.queueHead, inFlight: this.inFlight };
  }

  /** Ends the queue (the host is gone or cut off). */
  stop(): void {
    this.violated = true;
    this.queue = [];
    this.queueHead = 0;
    this.inbox = [];
    this.inboxHead = 0;
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.refillTimer = undefined;
  }

  private accept(value: unknown, chars: number): void {
    if (this.violated) return;
    if (this.inboxHead < this.inbox.length || !this.mayCheckFrame()) {
      // Checked in a later turn, in the order read; no more is read meanwhile.
      this.inbox.push({ value, chars });
      this.stream.pause();
      return;
    }
    this.handle(value, chars);
  }

  private handle(value: unknown, chars: number): void {
    const checked = checkHostFrame(value);
    if ('refused' in checked) return this.violation(checked.refused);
    if (checked.kind === 'response') {
      if (!this.ownCalls.delete(checked.frame.i)) return this.violation('a response frame to a call the agent never made');
      this.counts.responses++;
      void this.run(checked.frame);
      return;
    }
    this.counts.requests++;
    const queued = this.queue.length - this.queueHead;
    if (queued >= MAX_QUEUED || this.queuedChars + chars > MAX_QUEUED_CHARS) return this.refuse(checked.frame);
    this.queue.push({ frame: checked.frame, chars });
    this.queuedChars += chars;
    this.counts.maxQueued = Math.max(this.counts.maxQueued, queued + 1);
    this.pump();
  }

  /** The work of this turn so far; the first work of a turn schedules its end. */
  private currentTurn(): { frames: number; starts: number; startedAt: number } {
    if (this.turn) return this.turn;
    const turn = { frames: 0, starts: 0, startedAt: performance.now() };
    this.turn = turn;
    setImmediate(() => {
      this.turn = undefined;
      this.drainInbox();
      this.pump();
    });
    return turn;
  }

  /** Whether this turn may check one more frame (counted when it may). */
  private mayCheckFrame(): boolean {
    const turn = this.currentTurn();
    if (turn.frames >= FRAMES_PER_TURN) return false;
    if (turn.frames > 0 && turn.frames % FRAMES_PER_CLOCK === 0 && performance.now() - turn.startedAt > TURN_BUDGET_MS) {
      turn.frames = FRAMES_PER_TURN;
      return false;
    }
    turn.frames++;
    return true;
  }

  /** Checks the frames that waited, as many as this turn allows. */
  private drainInbox(): void {
    while (this.inboxHead < this.inbox.length && !this.violated) {
      if (!this.mayCheckFrame()) return;
      const next = this.inbox[this.inboxHead];
      this.inbox[this.inboxHead++] = undefined;
      if (next) this.handle(next.value, next.chars);
    }
    this.inbox = [];
    this.inboxHead = 0;
  }

  /**
   * Starts the next queued request when the bounds allow: one per call, so that the turn's clock
   * has seen the work of the last before it allows another. Reading pauses while answers or frames wait.
   */
  private pump(): void {
    if (this.queueHead < this.queue.length && !this.violated && this.mayStart() && this.takeToken()) {
      this.currentTurn().starts++;
      const next = this.queue[this.queueHead] as { frame: HostRequestFrame; chars: number };
      this.queue[this.queueHead++] = undefined;
      if (this.queueHead === this.queue.length) {
        this.queue = [];
        this.queueHead = 0;
      } else if (this.queueHead >= 1_024 && this.queueHead * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      this.queuedChars -= next.chars;
      this.inFlight++;
      this.counts.maxInFlight = Math.max(this.counts.maxInFlight, this.inFlight);
      void this.run(next.frame).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    if (this.violated) return;
    if (this.tooMuchUnsent() || this.inboxHead < this.inbox.length) this.stream.pause();
    else this.stream.resume();
  }

  /** Whether a request may start now (the end of the turn looks again when only the turn's budget forbids it). */
  private mayStart(): boolean {
    if (this.inFlight >= this.limits.maxInFlight || this.tooMuchUnsent()) return false;
    const turn = this.currentTurn();
    if (turn.starts === 0) return true;
    return turn.starts < STARTS_PER_TURN && performance.now() - turn.startedAt <= TURN_BUDGET_MS;
  }

  /** Answers a request that cannot wait with an error at once (an event is dropped). */
  private refuse(frame: HostRequestFrame): void {
    this.counts.refusedRequests++;
    if (frame.i === undefined) return;
    // Plain data already (the id is a checked string): no walk through toJsonSafe per refusal.
    this.post(`{"t":"s","i":${JSON.stringify(frame.i)},"e":${QUEUE_FULL_ERROR}}\n`);
  }

  /** Over the bound of unsent answers (never under the stream's own mark, past which 'drain' is sure to follow). */
  private tooMuchUnsent(): boolean {
    return this.stream.writableLength > Math.max(this.limits.maxUnsentBytes, this.stream.writableHighWaterMark);
  }

  /** Hands one checked frame to birpc; whatever it throws is a failed call, never an unhandled rejection. */
  private async run(frame: unknown): Promise<void> {
    try {
      await this.deliver?.(frame);
    } catch {
      // birpc has answered the host with the error where it could; nothing more is owed.
    }
  }

  private takeToken(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.callsPerSecond);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    // Not one timer per token: a look every REFILL_MS at least, starting what accrued meanwhile.
    this.refillTimer ??= setTimeout(() => {
      this.refillTimer = undefined;
      this.pump();
    }, Math.max(REFILL_MS, Math.ceil(1000 / this.limits.callsPerSecond)));
    this.refillTimer.unref();
    return false;
  }

  private noteOwnCall(id: string): void {
    this.ownCalls.add(id);
    if (this.ownCalls.size > MAX_OWN_CALL_IDS) {
      const oldest = this.ownCalls.values().next().value;
      if (oldest !== undefined) this.ownCalls.delete(oldest);
    }
  }

  private violation(reason: string): void {
    if (this.violated) return;
    this.stop();
    this.onViolation(`sent ${reason}`);
  }
}
