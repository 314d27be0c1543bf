/*
 * The seam for a stored approval of an isolated plugin's permissions. In a conversation, the
 * person's yes to an offer that listed the permissions is the approval; an approval store (a
 * consent step that records what was approved, bound to the package) plugs in here and is called
 * before anything is installed or created. Throwing refuses the extension.
 */

export interface PermissionGrant {
  offerId: string;
  /** The entity whose yes approved it. */
  approvedBy: string;
  plugin: string;
  kind: 'install' | 'create';
  /** The permissions the offer showed, in words; empty when they were not known yet. */
  permissions: string[];
}

export interface PermissionApproval {
  approve(grant: PermissionGrant): Promise<void>;
}

/** The yes in the conversation is the approval; nothing more is stored. */
export const CONVERSATION_APPROVAL: PermissionApproval = { approve: async () => undefined };

const approvals = new WeakMap<object, PermissionApproval>();

/** Puts an approval store in place of the conversation's yes alone, for one runtime. */
export function setPermissionApproval(runtime: object, approval: PermissionApproval): void {
  approvals.set(runtime, approval);
}

export function permissionApprovalOf(runtime: object): PermissionApproval {
  return approvals.get(runtime) ?? CONVERSATION_APPROVAL;
}
