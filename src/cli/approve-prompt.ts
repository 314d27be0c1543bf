import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { isPluginDynamicError, PluginDynamicError } from '../errors.js';
import { ApprovalRequestSchema, type ApprovalRequest } from '../management/permissions/approval-record.js';
import { approvalRequestText } from '../management/permissions/approval-request.js';
import type { PluginView } from '../management/plugin-view.js';
import type { Backend } from './backend.js';

export interface ApproveFlags {
  /** Approve without asking (scripts). */
  yes?: boolean;
}

/** The consent request an APPROVAL_REQUIRED error carries (headless: its details; --agent-url: the answer's `request`). */
export function requestOf(error: unknown): ApprovalRequest | undefined {
  if (!isPluginDynamicError(error) || error.code !== 'APPROVAL_REQUIRED') return undefined;
  const parsed = ApprovalRequestSchema.safeParse(error.details?.['request']);
  return parsed.success ? parsed.data : undefined;
}

/** The person running the CLI, when the system knows. */
export function whoAmI(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Shows the request on stderr and asks "Allow? [y/N]" on a terminal (--yes answers yes for a
 * script). Without a terminal and without --yes it refuses, saying how to approve. Resolves true
 * when the person allowed it.
 */
export async function askApproval(request: ApprovalRequest, flags: ApproveFlags, signal: AbortSignal, original?: PluginDynamicError): Promise<boolean> {
  process.stderr.write(`${approvalRequestText(request).join('\n')}\n`);
  if (flags.yes) return true;
  if (process.stdin.isTTY !== true) {
    const base = original?.message ?? `${request.packageName}@${request.version} needs your approval before it runs isolated.`;
    throw new PluginDynamicError('APPROVAL_REQUIRED', `${base} There is no terminal to ask on: pass --yes to approve it from a script.`, { details: { request } });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question('Allow? [y/N] ', { signal })).trim().toLowerCase();
    return answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

/** Approves the request through the backend (the real approve operation) and activates the plugin. */
export async function approveAndActivate(backend: Backend, request: ApprovalRequest): Promise<PluginView | undefined> {
  const by = whoAmI();
  const answer = await backend.approve({ plugin: request.packageName, digest: request.digest, activate: true, channel: 'cli', ...(by ? { by } : {}) });
  return answer.plugin;
}

/**
 * Runs a step that may activate an isolated plugin (install, activate); when it is refused for want
 * of approval, asks, approves and activates. A "no" leaves the refusal as it was.
 */
export async function withApproval(backend: Backend, flags: ApproveFlags, signal: AbortSignal, step: () => Promise<PluginView>): Promise<PluginView> {
  try {
    return await step();
  } catch (error) {
    const request = requestOf(error);
    if (!request) throw error;
    if (!(await askApproval(request, flags, signal, error as PluginDynamicError))) throw error;
    const view = await approveAndActivate(backend, request);
    if (!view) throw error;
    return view;
  }
}
