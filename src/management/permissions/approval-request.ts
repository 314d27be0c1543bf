import { codedError, type PluginDynamicError } from '../../errors.js';
import type { ApprovalRecord, ApprovalRequest } from './approval-record.js';
import type { InstalledContent } from './approval-digest.js';
import { describePermissions, permissionDiff, type PluginPermissions } from './plugin-permissions.js';

/** True when `asked` needs nothing beyond `granted` (a narrower or equal set). */
export function isWithin(asked: PluginPermissions, granted: PluginPermissions): boolean {
  const subset = (a: readonly string[], b: readonly string[]): boolean => a.every((x) => b.includes(x));
  return (
    subset(asked.network, granted.network) &&
    asked.modelCallsPerHour <= granted.modelCallsPerHour &&
    asked.storageMb <= granted.storageMb &&
    subset(asked.taskWorkers, granted.taskWorkers) &&
    subset(asked.events, granted.events) &&
    subset(asked.routes, granted.routes) &&
    (!asked.postToRooms || granted.postToRooms)
  );
}

/** Whether the stored approval covers exactly these bytes and these permissions. */
export function approvalCovers(approved: ApprovalRecord | undefined, content: Pick<InstalledContent, 'digest' | 'permissions'>): boolean {
  return approved !== undefined && approved.digest === content.digest && permissionDiff(approved.permissions, content.permissions).length === 0;
}

/** The consent request for a plugin's installed content, against what was approved before. */
export function approvalRequest(packageName: string, content: InstalledContent, approved: ApprovalRecord | undefined): ApprovalRequest {
  const diff = approved ? permissionDiff(approved.permissions, content.permissions) : [];
  return {
    packageName,
    version: content.version,
    digest: content.digest,
    permissions: content.permissions,
    lines: describePermissions(content.permissions),
    diff,
    ...(approved ? { previous: { version: approved.version, digest: approved.digest } } : {}),
    reason: !approved ? 'first' : diff.length > 0 ? 'permissions' : 'content',
    problems: content.problems,
  };
}

const short = (digest: string): string => (digest.length > 24 ? `${digest.slice(0, 20)}…` : digest);

/** APPROVAL_REQUIRED for a request: what it asks for, what changed, and how to approve it on each surface. */
export function approvalRequired(request: ApprovalRequest, note = ''): PluginDynamicError {
  const previous = request.previous;
  const why =
    request.reason === 'first'
      ? ''
      : request.reason === 'permissions'
        ? ` (it asks for other permissions than ${previous?.version ?? 'the version'} approved before)`
        : ` (its content changed since ${previous?.version ?? 'the version'} was approved: ${short(previous?.digest ?? '')} → ${short(request.digest)})`;
  const diff = request.diff.length ? ` Changed: ${request.diff.join('; ')}.` : '';
  const problems = request.problems.length ? ` Its declaration was not usable (${request.problems.join(' ')})` : '';
  return codedError(
    'APPROVAL_REQUIRED',
    {
      plugin: `${request.packageName}@${request.version}`,
      why: `${why}${note}`,
      request: request.lines.join('; '),
      diff: `${diff}${problems}`,
      name: request.packageName,
    },
    { details: { request } },
  );
}

/** The request as a person reads it on a terminal or in chat: what it asks for, then what changed. */
export function approvalRequestText(request: ApprovalRequest): string[] {
  const changed = request.previous ? [`Changed since ${request.previous.version} was approved:`, ...request.diff.map((line) => `  ${line}`)] : [];
  const content = request.reason === 'content' && request.diff.length === 0 ? [`Same permissions as ${request.previous?.version ?? 'before'}, new content (${short(request.digest)}).`] : [];
  return [
    `${request.packageName}@${request.version} asks to run isolated with:`,
    ...request.lines.map((line) => `  - ${line}`),
    ...(request.diff.length ? changed : content),
    ...request.problems.map((p) => `  ! ${p}`),
  ];
}
