import type { IAgentRuntime } from '@elizaos/core';
import { codedError } from '../../errors.js';
import type { PluginRecord } from '../state/plugin-record.js';
import { installedContent } from './approval-digest.js';
import type { ApprovalChannel, ApprovalRecord, ApprovalRequest } from './approval-record.js';
import { approvalCovers, approvalRequest, approvalRequired, isWithin } from './approval-request.js';
import { ApprovalStore } from './approval-store.js';
import type { PluginPermissions } from './plugin-permissions.js';

const LOG_SRC = 'plugin-dynamic:approval';
/** Refused requests kept for "yes" in chat and for a replace that was rolled back; the oldest go first. */
const MAX_PENDING = 50;

/** Who gives an approval, and for which bytes (the digest the person was shown, when known). */
export interface ApprovalGrant {
  channel: ApprovalChannel;
  by?: string | undefined;
  /** The digest of the request that was shown; a package that changed since is asked about again. */
  digest?: string | undefined;
}

/**
 * The approval gate of isolated plugins. Before a plugin runs isolated, its installed content (the
 * package's integrity digest and its declared permissions) must be covered by a stored approval;
 * otherwise activation is refused with APPROVAL_REQUIRED, carrying the consent request (and the
 * permission diff against the earlier approval). A plugin a creation job made for the user is
 * approved by that request, unless a replace asks for more than was approved before.
 */
export class PluginApprovals {
  readonly store: ApprovalStore;
  private readonly pending = new Map<string, ApprovalRequest>();

  constructor(private readonly runtime: IAgentRuntime) {
    this.store = new ApprovalStore(runtime);
  }

  async load(): Promise<void> {
    const corrupt = await this.store.load();
    if (corrupt.count > 0) {
      this.runtime.logger.warn({ src: LOG_SRC, movedTo: corrupt.movedTo, reasons: corrupt.reasons }, `[STATE_CORRUPT] ${corrupt.count} stored approval(s) were unreadable and moved aside; those plugins are asked about again.`);
    }
  }

  /**
   * The permissions the plugin may run with, isolated: those approved for exactly its installed
   * bytes. Throws APPROVAL_REQUIRED (with the request) when no approval covers them.
   */
  async require(record: PluginRecord): Promise<PluginPermissions> {
    const content = await installedContent(record);
    const approved = this.store.get(record.packageName);
    if (approvalCovers(approved, content)) return content.permissions;
    const source = record.source;
    const ownJob = source.kind === 'generated' && (source.agentId === undefined || source.agentId === this.runtime.agentId) ? source : undefined;
    if (ownJob && (!approved || isWithin(content.permissions, approved.permissions))) {
      // This agent's user asked for this plugin; the job's record shows the permissions its specification
      // declared. A build another agent of the fleet made is asked about like any other plugin.
      const stored = await this.store.put({
        packageName: record.packageName,
        version: content.version,
        digest: content.digest,
        permissions: content.permissions,
        approvedAt: new Date().toISOString(),
        channel: 'creation',
        by: `job ${ownJob.jobId}`,
      });
      this.pending.delete(record.packageName);
      this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName, digest: stored.digest, permissions: content.permissions }, 'Approved by the creation request that made it.');
      return stored.permissions;
    }
    const request = approvalRequest(record.packageName, content, approved);
    this.remember(request);
    const error = approvalRequired(request);
    this.runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName, code: error.code, digest: request.digest }, error.message);
    throw error;
  }

  /**
   * Stores the approval of what the plugin asks for: the waiting request whose digest the grant
   * names (a replace that was refused and rolled back, to be tried again), else its installed
   * content, else the request refused last. A grant that names another digest than that is refused
   * with the request as it is now.
   */
  async approve(packageName: string, installed: PluginRecord | undefined, grant: ApprovalGrant): Promise<ApprovalRecord> {
    const waiting = this.pending.get(packageName);
    const request = waiting && (grant.digest === waiting.digest || !installed) ? waiting : installed ? await this.request(installed) : undefined;
    if (!request) {
      throw codedError('NOT_INSTALLED', { subject: packageName, problem: 'is not installed and has no approval request waiting.' });
    }
    if (grant.digest !== undefined && grant.digest !== request.digest) {
      this.remember(request);
      throw approvalRequired(request, '; it changed since the request you answered was shown, so here is what it asks for now');
    }
    const stored = await this.store.put({
      packageName,
      version: request.version,
      digest: request.digest,
      permissions: request.permissions,
      approvedAt: new Date().toISOString(),
      channel: grant.channel,
      ...(grant.by ? { by: grant.by } : {}),
    });
    this.pending.delete(packageName);
    this.runtime.logger.info({ src: LOG_SRC, plugin: packageName, digest: stored.digest, channel: stored.channel, by: stored.by }, 'Plugin approved.');
    return stored;
  }

  /** The consent request for the installed content (what it would be asked, approved or not). */
  async request(record: PluginRecord): Promise<ApprovalRequest> {
    return approvalRequest(record.packageName, await installedContent(record), this.store.get(record.packageName));
  }

  /** Whether the stored approval covers the installed content. */
  async isApproved(record: PluginRecord): Promise<boolean> {
    return approvalCovers(this.store.get(record.packageName), await installedContent(record));
  }

  /** The permissions approved for the plugin (what its host is to enforce), if it was ever approved. */
  approvedPermissions(packageName: string): PluginPermissions | undefined {
    return this.store.get(packageName)?.permissions;
  }

  /** The refused requests still waiting for an answer, newest last. */
  pendingRequests(): ApprovalRequest[] {
    return [...this.pending.values()];
  }

  pendingFor(packageName: string): ApprovalRequest | undefined {
    return this.pending.get(packageName);
  }

  /** Forgets the plugin's approval and any waiting request (on uninstall). */
  async forget(packageName: string): Promise<void> {
    this.pending.delete(packageName);
    await this.store.remove(packageName);
  }

  private remember(request: ApprovalRequest): void {
    this.pending.delete(request.packageName);
    this.pending.set(request.packageName, request);
    while (this.pending.size > MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
  }
}
