export { extendCapabilitiesAction, EXTEND_ACTION } from './extend-action.js';
export { selfExtensionProvider } from './extension-provider.js';
export { registerRankedSource, type RankedCandidate, type RankedSource } from './ranked-source.js';
export { setPermissionApproval, type PermissionApproval, type PermissionGrant } from './permission-approval.js';
