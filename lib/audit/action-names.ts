import type { ObjectType, Permission } from "@/lib/authz/schema";

/**
 * What a permission denial is written as (lib/authz/service.ts):
 * `<object>#<permission>`, one for each permission in lib/authz/schema.ts.
 */
export type PermissionDenialAction = { [T in ObjectType]: `${T}#${Permission<T>}` }[ObjectType];

/**
 * Every audit action the console writes, with the label people read. One
 * table for the Audit page, its filter list and the export. The writers
 * (recordAudit, deny, recordDenial, auditEntryData) take only these names
 * (`AuditAction`), so writing an action without a label does not compile;
 * a permission added to the schema needs its denial's label here too.
 */
export const AUDIT_ACTIONS = {
  "auth.sign_in": "Signed in",
  "auth.sign_out": "Signed out",
  "auth.sign_out_global": "Signed out everywhere",
  "auth.session_end": "Session ended",
  "auth.password_change": "Password changed",
  "audit.verify": "Audit chain verified",
  "audit.erase_identity": "Identity erasure asked",
  "credential.renewed": "Credential renewed",
  "credential.expiry_shortened": "Credential expiry brought closer",
  "idp_binding.create": "Identity provider added",
  "idp_binding.update": "Identity provider changed",
  "idp_binding.activate": "Identity provider activated",
  "idp_binding.deactivate": "Identity provider deactivated",
  "idp_binding.delete": "Identity provider removed",
  "idp_binding.secret_destroy_failed": "Identity provider secret not destroyed",
  "user.create": "User created",
  "user.jit_create": "User created at first sign-in",
  "user.password_set": "Password set",
  "user.disable": "User disabled",
  "user.enable": "User re-enabled",
  "user.remove": "User removed",
  "group.create": "Group created",
  "group.update": "Group changed",
  "group.delete": "Group deleted",
  "group.member_add": "Group member added",
  "group.member_remove": "Group member removed",
  // The identity contract names this event invitation.create.
  "invitation.create": "Invitation issued",
  "invitation.accept": "Invitation accepted",
  "invitation.revoke": "Invitation revoked",
  "auth.sign_in_locked": "Sign-in locked",
  "audit.read": "Audit read",
  "audit.denials_aggregated": "Denials aggregated",
  "cloud.create": "Cloud created",
  "cloud.update": "Cloud updated",
  "cloud.delete": "Cloud deleted",
  "cloud.assign": "Cloud made usable in a Project",
  "cloud.reminders_update": "Reminder settings changed",
  "cloud#manage": "Manage Cloud",
  "cloud#observe": "View Cloud",
  "credential.issue": "Credential issued",
  "credential.rotate": "Credential rotated",
  "credential.update": "Credential edited",
  "credential.revoke": "Credential revoked",
  "credential.expire": "Credential expired",
  "credential.validate": "Credential tested",
  "credential.secret_delete": "Secret deleted from the store",
  "credential.secret_missing": "Secret found missing",
  "credential.secret_restored": "Secret found again",
  "credential.orphan_destroyed": "Orphaned secret destroyed",
  "credential.cloud_attach": "Credential attached to a further Cloud",
  "credential.cloud_detach": "Credential detached from a Cloud",
  "assignment.request": "Credential requested",
  "assignment.approve": "Request approved",
  "assignment.reject": "Request rejected",
  "assignment.revoke": "Assignment revoked",
  "credential_assignment.break_glass": "Break-glass: credential request approved",
  "cloud_assignment.request": "Cloud requested for a Project",
  "cloud_assignment.approve": "Cloud request approved",
  "cloud_assignment.reject": "Cloud request rejected",
  "cloud_assignment.revoke": "Cloud no longer usable in a Project",
  "cloud_assignment.break_glass": "Break-glass: Cloud request approved",
  "project.create": "Project created",
  "project#manage": "Manage Project",
  "project#deploy": "Deploy from Project",
  "project#observe": "View Project",
  "platform#manage": "Platform administration",
  "relation.grant": "Access granted",
  "relation.revoke": "Access removed",
  "relation.replace": "Access replaced",
  "token.issue": "API token issued",
  "token.rotate": "API token rotated",
  "token.revoke": "API token revoked",
  "device.approve": "Device sign-in approved",
  "device.deny": "Device sign-in denied",
  "device.token": "Device token issued",
  "reminder.sent": "Expiry reminder sent",
  "reminder.failed": "Expiry reminder failed",
} as const satisfies Record<string, string> & Record<PermissionDenialAction, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/**
 * Emergency approvals: a platform operator approved a request alone, with a
 * written justification (the entry's reason). The Audit page marks them so
 * they stand out from ordinary decisions.
 */
export const BREAK_GLASS_AUDIT_ACTIONS: readonly AuditAction[] = ["credential_assignment.break_glass", "cloud_assignment.break_glass"];

export function isBreakGlassAction(action: string): boolean {
  return (BREAK_GLASS_AUDIT_ACTIONS as readonly string[]).includes(action);
}

/**
 * Names earlier versions wrote and this one no longer does, still labelled
 * so trails already written read the same. Nothing writes them (they are
 * not `AuditAction`s); what replaced each is in its comment.
 */
export const RETIRED_AUDIT_ACTIONS = {
  // Both now group.member_add / group.member_remove, the reason naming the IdP sign-in sync.
  "group.member_join": "Joined group at sign-in",
  "group.member_leave": "Left group at sign-in",
  // Now invitation.create, the identity contract's name.
  "invitation.issue": "Invitation issued (earlier name)",
} as const satisfies Record<string, string>;

/** Every name the trail may hold, written now or before, with its label. */
const LABELS: Readonly<Record<string, string>> = { ...RETIRED_AUDIT_ACTIONS, ...AUDIT_ACTIONS };

export function auditActionLabel(action: string): string {
  return Object.hasOwn(LABELS, action) ? LABELS[action] : action;
}

/** The filter list: label order, each with its stored name (retired names too, to find old entries). */
export const AUDIT_ACTION_OPTIONS: { value: string; label: string }[] = Object.entries(LABELS)
  .map(([value, label]) => ({ value, label }))
  .sort((a, b) => a.label.localeCompare(b.label));

/** Where a target of each type is shown in the console, when it has a page. */
export function auditTargetHref(type: string, id: string): string | null {
  switch (type) {
    case "cloud":
      return `/clouds/${id}`;
    case "cloud_credential":
      return `/credentials/${id}`;
    case "project":
      return `/projects/${id}`;
    default:
      return null;
  }
}
