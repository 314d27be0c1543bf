import { Service, type IAgentRuntime, type Memory, type Task, type UUID } from '@elizaos/core';
import { no, ok, type Outcome } from './reply.js';
import { parseWhen } from './when.js';

/** Reminders are ElizaOS tasks tagged with the plugin's tag; the plugin's own scheduler fires them. */
export interface Schedule {
  plugin: string;
  tag: string;
  /** "reminder" or "timer": the word people read. */
  noun: string;
}

interface ReminderMetadata {
  dueAt: number;
  text: string;
  entityId?: string;
  /** The platform the reminder was asked on (the message's content.source): where it is posted. */
  source?: string;
}

function metaOf(task: Task): ReminderMetadata | undefined {
  const m = task.metadata as Partial<ReminderMetadata> | undefined;
  return m && typeof m.dueAt === 'number' && typeof m.text === 'string' ? (m as ReminderMetadata) : undefined;
}

const when = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

export async function addReminder(runtime: IAgentRuntime, message: Memory, s: Schedule, text: string, dueAt: Date): Promise<Outcome> {
  if (Number.isNaN(dueAt.getTime())) return no('When? For example "in 30 minutes" or "tomorrow at 9".', { question: true });
  if (dueAt.getTime() < Date.now() - 60_000) return no('That time (' + when(dueAt.getTime()) + ') has already passed.');
  const source = typeof message.content.source === 'string' && message.content.source ? message.content.source : undefined;
  const metadata: ReminderMetadata = { dueAt: dueAt.getTime(), text, entityId: String(message.entityId), ...(source ? { source } : {}) };
  const id = await runtime.createTask({
    name: s.tag,
    description: text,
    roomId: message.roomId,
    // The database requires a world; messages often carry none, and a plugin may not look rooms up,
    // so the room stands in for it (the column is a plain id, not a reference).
    worldId: message.worldId ?? message.roomId,
    entityId: message.entityId,
    tags: [s.tag],
    metadata: { ...metadata },
  });
  return ok('OK, I will remind you "' + text + '" at ' + when(metadata.dueAt) + '.', { taskId: id, dueAt: metadata.dueAt, text });
}

async function pending(runtime: IAgentRuntime, s: Schedule, roomId: UUID | undefined): Promise<Task[]> {
  const tasks = await runtime.getTasks({ tags: [s.tag], ...(roomId ? { roomId } : {}) });
  return tasks.filter((t) => metaOf(t) !== undefined).sort((a, b) => (metaOf(a)?.dueAt ?? 0) - (metaOf(b)?.dueAt ?? 0));
}

export async function listReminders(runtime: IAgentRuntime, message: Memory, s: Schedule): Promise<Outcome> {
  const tasks = await pending(runtime, s, message.roomId);
  if (tasks.length === 0) return ok('No ' + s.noun + 's are set.', { reminders: [] });
  const lines = tasks.map((t, i) => String(i + 1) + '. ' + (metaOf(t)?.text ?? t.description) + ' at ' + when(metaOf(t)?.dueAt ?? 0));
  return ok(String(tasks.length) + ' ' + s.noun + (tasks.length === 1 ? '' : 's') + ':\n' + lines.join('\n'), {
    reminders: tasks.map((t) => ({ id: t.id, text: metaOf(t)?.text, dueAt: metaOf(t)?.dueAt })),
  });
}

/** Cancels by position ("2"), by words of its text, or all of them ("all"). */
export async function cancelReminder(runtime: IAgentRuntime, message: Memory, s: Schedule, ref: string): Promise<Outcome> {
  const tasks = await pending(runtime, s, message.roomId);
  const r = ref.trim().toLowerCase().replace(/^#/, '');
  const all = /^(all|everything|every \w+|all \w+)$/.test(r);
  const byNumber = /^\d+$/.test(r) ? tasks[Number(r) - 1] : undefined;
  const chosen = all ? tasks : byNumber ? [byNumber] : tasks.filter((t) => (metaOf(t)?.text ?? '').toLowerCase().includes(r));
  if (chosen.length === 0) return no('There is no ' + s.noun + ' "' + ref + '".');
  if (chosen.length > 1 && !all) return no('"' + ref + '" matches ' + String(chosen.length) + ' ' + s.noun + 's; which number?', { question: true });
  for (const t of chosen) if (t.id) await runtime.deleteTask(t.id);
  return ok('Cancelled ' + (all ? String(chosen.length) + ' ' + s.noun + (chosen.length === 1 ? '' : 's') : '"' + (metaOf(chosen[0] as Task)?.text ?? ref) + '"') + '.', { cancelled: chosen.length });
}

/** Cancels every reminder of the conversation: none left is a success too. */
export async function clearReminders(runtime: IAgentRuntime, message: Memory, s: Schedule): Promise<Outcome> {
  const tasks = await pending(runtime, s, message.roomId);
  for (const t of tasks) if (t.id) await runtime.deleteTask(t.id);
  return ok(tasks.length ? 'Cleared ' + String(tasks.length) + ' ' + s.noun + (tasks.length === 1 ? '' : 's') + '.' : 'There were no ' + s.noun + 's to clear.', { cleared: tasks.length });
}

/**
 * Posts a fired reminder to the chat it was set in, through core's runtime.sendMessageToTarget: the
 * platform's send handler for the reminder's source delivers it to the room. Without a source, or
 * when no handler is registered for it (or the plugin may not post there), it is not posted and says why.
 */
async function post(runtime: IAgentRuntime, s: Schedule, task: Task, meta: ReminderMetadata, text: string): Promise<boolean> {
  if (!meta.source || !task.roomId) return false;
  try {
    await runtime.sendMessageToTarget({ source: meta.source, roomId: task.roomId }, { text });
    return true;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    runtime.logger.warn({ src: s.plugin, taskId: task.id }, 'Reminder not posted to the chat (' + why + '); it is kept in the room\'s messages.');
    return false;
  }
}

/**
 * Fires every due reminder once: posted to the room it was set in (see post) and kept as a message
 * from the agent in that room, so the conversation remembers it; then the task is gone.
 */
export async function fireDue(runtime: IAgentRuntime, s: Schedule, now = Date.now()): Promise<number> {
  const due = (await pending(runtime, s, undefined)).filter((t) => (metaOf(t)?.dueAt ?? Infinity) <= now);
  for (const task of due) {
    const meta = metaOf(task);
    if (!task.id || !meta || !task.roomId) continue;
    // Deleted first, so a slow write never fires the same reminder twice.
    await runtime.deleteTask(task.id);
    const text = 'Reminder: ' + meta.text;
    const posted = await post(runtime, s, task, meta, text);
    await runtime.createMemory(
      {
        entityId: runtime.agentId,
        agentId: runtime.agentId,
        roomId: task.roomId,
        content: { text, source: s.plugin, metadata: { reminder: true, dueAt: meta.dueAt, posted } },
        createdAt: Date.now(),
      },
      'messages',
    );
    runtime.logger.info({ src: s.plugin, taskId: task.id, posted }, 'Reminder fired: ' + meta.text);
  }
  return due.length;
}

/** Makes the scheduler service class for one plugin: it checks for due reminders every few seconds. */
export function schedulerService(s: Schedule, serviceType: string, everyMs = 5000): typeof Service {
  class SchedulerService extends Service {
    static override serviceType = serviceType;
    override capabilityDescription = 'Fires the ' + s.noun + 's of ' + s.plugin + ' when they are due';
    private timer: ReturnType<typeof setInterval> | undefined;
    private running: Promise<unknown> = Promise.resolve();

    static override async start(runtime: IAgentRuntime): Promise<Service> {
      const service = new SchedulerService(runtime);
      service.timer = setInterval(() => {
        service.running = service.running.then(() => fireDue(runtime, s)).catch((error: unknown) => {
          runtime.logger.warn({ src: s.plugin }, 'Reminder check failed: ' + (error instanceof Error ? error.message : String(error)));
        });
      }, everyMs);
      service.timer.unref();
      return service;
    }

    override async stop(): Promise<void> {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      await this.running;
    }
  }
  return SchedulerService;
}

/** The moment a value names: an ISO string or epoch from readParams, or words such as "in 30 minutes". */
export function dueDate(value: unknown): Date {
  if (typeof value === 'number') return new Date(value);
  const text = typeof value === 'string' ? value : '';
  const direct = new Date(text);
  if (text && !Number.isNaN(direct.getTime()) && /\d{4}-\d{2}-\d{2}/.test(text)) return direct;
  return parseWhen(text)?.at ?? new Date(Number.NaN);
}
