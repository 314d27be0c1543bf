export { createExtendAction, extendCapabilitiesAction, EXTEND_ACTION, type ExtendActionOptions } from './extend-action.js';
export { selfExtensionProvider } from './extension-provider.js';
export type { RankedCandidate, RankedSource } from './ranked-source.js';
export type { PermissionApproval, PermissionGrant } from './permission-approval.js';
