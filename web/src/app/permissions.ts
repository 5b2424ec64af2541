// The UI hides what a role may not do using the server's own policy table; the server still decides.
export { can, canAssignRole, canEditBoard, roleAtLeast } from '@core/policies.js';
