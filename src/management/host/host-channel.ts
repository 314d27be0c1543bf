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
 * Frames handled in one turn of the event loop before reading yields to everything else: the
 * system hands over megabytes of a pipe in one turn, tens of thousands of frames.
 */
const FRAMES_PER_TURN = 256;
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
 * the agent's. Requests past the waiting bounds are refused with an error at once.
 */
export class HostChannel {
  private deliver: OnMessage | undefined;
  private readonly queue: { frame: HostRequestFrame; chars: number }[] = [];
  private queuedChars = 0;
  private inFlight = 0;
  private tokens: number;
  private refilledAt = Date.now();
  private refillTimer: NodeJS.Timeout | undefined;
  private violated = false;
  private corked = false;
  private framesThisTurn = 0;
  private yielding = false;
  private readonly ownCalls = new Set<string>();
  private readonly counts: ChannelStats = { requests: 0, responses: 0, maxQueued: 0, maxInFlight: 0, maxUnsentBytes: 0, oversizeReplies: 0, refusedRequests: 0 };

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
    return { ...this.counts };
  }

  /** Ends the queue (the host is gone or cut off). */
  stop(): void {
    this.violated = true;
    this.queue.length = 0;
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.refillTimer = undefined;
  }

  private accept(value: unknown, chars: number): void {
    if (this.violated) return;
    if (++this.framesThisTurn >= FRAMES_PER_TURN && !this.yielding) this.yieldTurn();
    const checked = checkHostFrame(value);
    if ('refused' in checked) return this.violation(checked.refused);
    if (checked.kind === 'response') {
      if (!this.ownCalls.delete(checked.frame.i)) return this.violation('a response frame to a call the agent never made');
      this.counts.responses++;
      void this.run(checked.frame);
      return;
    }
    this.counts.requests++;
    if (this.queue.length >= MAX_QUEUED || this.queuedChars + chars > MAX_QUEUED_CHARS) return this.refuse(checked.frame);
    this.queue.push({ frame: checked.frame, chars });
    this.queuedChars += chars;
    this.counts.maxQueued = Math.max(this.counts.maxQueued, this.queue.length);
    this.pump();
  }

  /** Starts queued requests while the bounds allow; pauses reading while any must wait. */
  private pump(): void {
    while (this.queue.length > 0 && !this.violated) {
      if (this.inFlight >= this.limits.maxInFlight || this.tooMuchUnsent()) break;
      if (!this.takeToken()) break;
      const { frame, chars } = this.queue.shift() as { frame: HostRequestFrame; chars: number };
      this.queuedChars -= chars;
      this.inFlight++;
      this.counts.maxInFlight = Math.max(this.counts.maxInFlight, this.inFlight);
      void this.run(frame).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    if (this.violated || this.yielding) return;
    if (this.tooMuchUnsent()) this.stream.pause();
    else this.stream.resume();
  }

  /** Stops reading until the next turn (what this read already delivered is still handled). */
  private yieldTurn(): void {
    this.yielding = true;
    this.stream.pause();
    setImmediate(() => {
      this.yielding = false;
      this.framesThisTurn = 0;
      this.pump();
    });
  }

  /** Answers a request that cannot wait with an error at once (an event is dropped). */
  private refuse(frame: HostRequestFrame): void {
    this.counts.refusedRequests++;
    if (frame.i === undefined) return;
    this.post(
      encodeFrame({
        t: 's',
        i: frame.i,
        e: { name: 'PluginDynamicError', code: 'HOST_LIMIT_REACHED', message: `More than ${MAX_QUEUED} calls of this isolated plugin are waiting for the agent; try again when they have finished.` },
      }),
    );
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
