import "server-only";
import * as unrouted from "@/app/v1/[[...rest]]/route";
import * as adminGroupsIdMembersPrincipalId from "@/app/v1/admin/groups/[id]/members/[principal_id]/route";
import * as adminGroupsIdMembers from "@/app/v1/admin/groups/[id]/members/route";
import * as adminGroupsId from "@/app/v1/admin/groups/[id]/route";
import * as adminGroups from "@/app/v1/admin/groups/route";
import * as adminIdpId from "@/app/v1/admin/idp/[id]/route";
import * as adminIdpIdStatus from "@/app/v1/admin/idp/[id]/status/route";
import * as adminIdp from "@/app/v1/admin/idp/route";
import * as adminPlatformIdp from "@/app/v1/admin/platform-idp/route";
import * as auditEntries from "@/app/v1/audit/entries/route";
import * as approvals from "@/app/v1/approvals/route";
import * as approvalsId from "@/app/v1/approvals/[id]/route";
import * as approvalsIdApprove from "@/app/v1/approvals/[id]/approve/route";
import * as approvalsIdBreakGlass from "@/app/v1/approvals/[id]/break-glass/route";
import * as approvalsIdReject from "@/app/v1/approvals/[id]/reject/route";
import * as cloudAssignmentsIdRevoke from "@/app/v1/cloud-assignments/[id]/revoke/route";
import * as projectsIdCloudAssignments from "@/app/v1/projects/[id]/cloud-assignments/route";
import * as authDeviceCode from "@/app/v1/auth/device-code/route";
import * as authDeviceToken from "@/app/v1/auth/device-token/route";
import * as authDeviceApprove from "@/app/v1/auth/device/approve/route";
import * as authIdpBindings from "@/app/v1/auth/idp-bindings/route";
import * as authSignOutGlobal from "@/app/v1/auth/sign-out/global/route";
import * as authTokensIdRotate from "@/app/v1/auth/tokens/[id]/rotate/route";
import * as authTokensId from "@/app/v1/auth/tokens/[id]/route";
import * as authTokens from "@/app/v1/auth/tokens/route";
import * as authWhoami from "@/app/v1/auth/whoami/route";
import * as authzCheck from "@/app/v1/authz/check/route";
import * as authzLookupResources from "@/app/v1/authz/lookup-resources/route";
import * as authzLookupSubjects from "@/app/v1/authz/lookup-subjects/route";
import * as authzRelationTuplesId from "@/app/v1/authz/relation-tuples/[id]/route";
import * as authzRelationTuples from "@/app/v1/authz/relation-tuples/route";
import * as cloudCredentialsIdCloudsCloudId from "@/app/v1/cloud-credentials/[id]/clouds/[cloud_id]/route";
import * as cloudCredentialsIdClouds from "@/app/v1/cloud-credentials/[id]/clouds/route";
import * as cloudCredentialsIdRevoke from "@/app/v1/cloud-credentials/[id]/revoke/route";
import * as cloudCredentialsIdRotate from "@/app/v1/cloud-credentials/[id]/rotate/route";
import * as cloudCredentialsId from "@/app/v1/cloud-credentials/[id]/route";
import * as cloudCredentialsIdValidate from "@/app/v1/cloud-credentials/[id]/validate/route";
import * as cloudsIdCloudAssignments from "@/app/v1/clouds/[id]/cloud-assignments/route";
import * as cloudsIdCloudCredentials from "@/app/v1/clouds/[id]/cloud-credentials/route";
import * as cloudsIdReminders from "@/app/v1/clouds/[id]/reminders/route";
import * as cloudsId from "@/app/v1/clouds/[id]/route";
import * as clouds from "@/app/v1/clouds/route";
import * as credentialAssignmentsIdApprove from "@/app/v1/credential-assignments/[id]/approve/route";
import * as credentialAssignmentsIdReject from "@/app/v1/credential-assignments/[id]/reject/route";
import * as credentialAssignmentsIdRevoke from "@/app/v1/credential-assignments/[id]/revoke/route";
import * as domainsIdAuditEntriesSeq from "@/app/v1/domains/[id]/audit/entries/[seq]/route";
import * as domainsIdAuditEntries from "@/app/v1/domains/[id]/audit/entries/route";
import * as domainsIdAuditEraseIdentity from "@/app/v1/domains/[id]/audit/erase-identity/route";
import * as domainsIdAuditVerify from "@/app/v1/domains/[id]/audit/verify/route";
import * as domainsIdIdentitiesPrincipalId from "@/app/v1/domains/[id]/identities/[principalId]/route";
import * as domainsIdIdentities from "@/app/v1/domains/[id]/identities/route";
import * as domainsIdInvitationsInvitationId from "@/app/v1/domains/[id]/invitations/[invitationId]/route";
import * as domainsIdInvitations from "@/app/v1/domains/[id]/invitations/route";
import * as domainsId from "@/app/v1/domains/[id]/route";
import * as domains from "@/app/v1/domains/route";
import * as health from "@/app/v1/health/route";
import * as openapiJson from "@/app/v1/openapi.json/route";
import * as platformAuditEntriesSeq from "@/app/v1/platform/audit/entries/[seq]/route";
import * as platformAuditEntries from "@/app/v1/platform/audit/entries/route";
import * as platformAuditEraseIdentity from "@/app/v1/platform/audit/erase-identity/route";
import * as platformAuditVerify from "@/app/v1/platform/audit/verify/route";
import * as projectsIdCredentialAssignments from "@/app/v1/projects/[id]/credential-assignments/route";
import * as projectsId from "@/app/v1/projects/[id]/route";
import * as projects from "@/app/v1/projects/route";
import { matchApiRoute, routeLabel, routeSegments, isPlainApiPath, type ApiRouteEntry } from "@/lib/http/api-routes";
export { methodLabel } from "@/lib/http/api-routes";

/**
 * Every /v1 route, by the folder Next serves it from, with the handlers its
 * route.ts exports: the server entry (server.ts) calls them itself, so an
 * API request costs none of Next's page pipeline (docs/performance.md).
 * A route file added under app/v1 without a line here fails
 * lib/api/routes.test.ts.
 */
export const API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/** A route.ts's exported handler, as Next calls it (method syntax: each file narrows `params` to its own). */
interface RouteHandler {
  bivariant(request: Request, context: { params: Promise<Record<string, string>> }): Response | Promise<Response>;
}
export type ApiHandler = RouteHandler["bivariant"];
type RouteModule = Partial<Record<ApiMethod, ApiHandler>>;

export interface ApiRoute extends ApiRouteEntry {
  handlers: RouteModule;
}

function route(pattern: string, module: RouteModule): ApiRoute {
  const handlers: RouteModule = {};
  for (const method of API_METHODS) if (typeof module[method] === "function") handlers[method] = module[method];
  return { pattern, segments: routeSegments(pattern), handlers };
}

export const API_ROUTES: readonly ApiRoute[] = [
  route("/v1/admin/groups/[id]/members/[principal_id]", adminGroupsIdMembersPrincipalId),
  route("/v1/admin/groups/[id]/members", adminGroupsIdMembers),
  route("/v1/admin/groups/[id]", adminGroupsId),
  route("/v1/admin/groups", adminGroups),
  route("/v1/admin/idp/[id]", adminIdpId),
  route("/v1/admin/idp/[id]/status", adminIdpIdStatus),
  route("/v1/admin/idp", adminIdp),
  route("/v1/admin/platform-idp", adminPlatformIdp),
  route("/v1/audit/entries", auditEntries),
  route("/v1/auth/device-code", authDeviceCode),
  route("/v1/auth/device-token", authDeviceToken),
  route("/v1/auth/device/approve", authDeviceApprove),
  route("/v1/auth/idp-bindings", authIdpBindings),
  route("/v1/auth/sign-out/global", authSignOutGlobal),
  route("/v1/auth/tokens/[id]/rotate", authTokensIdRotate),
  route("/v1/auth/tokens/[id]", authTokensId),
  route("/v1/auth/tokens", authTokens),
  route("/v1/auth/whoami", authWhoami),
  route("/v1/authz/check", authzCheck),
  route("/v1/authz/lookup-resources", authzLookupResources),
  route("/v1/authz/lookup-subjects", authzLookupSubjects),
  route("/v1/authz/relation-tuples/[id]", authzRelationTuplesId),
  route("/v1/authz/relation-tuples", authzRelationTuples),
  route("/v1/cloud-credentials/[id]/clouds/[cloud_id]", cloudCredentialsIdCloudsCloudId),
  route("/v1/cloud-credentials/[id]/clouds", cloudCredentialsIdClouds),
  route("/v1/cloud-credentials/[id]/revoke", cloudCredentialsIdRevoke),
  route("/v1/cloud-credentials/[id]/rotate", cloudCredentialsIdRotate),
  route("/v1/cloud-credentials/[id]", cloudCredentialsId),
  route("/v1/cloud-credentials/[id]/validate", cloudCredentialsIdValidate),
  route("/v1/approvals/[id]/approve", approvalsIdApprove),
  route("/v1/approvals/[id]/break-glass", approvalsIdBreakGlass),
  route("/v1/approvals/[id]/reject", approvalsIdReject),
  route("/v1/approvals/[id]", approvalsId),
  route("/v1/approvals", approvals),
  route("/v1/cloud-assignments/[id]/revoke", cloudAssignmentsIdRevoke),
  route("/v1/clouds/[id]/cloud-assignments", cloudsIdCloudAssignments),
  route("/v1/clouds/[id]/cloud-credentials", cloudsIdCloudCredentials),
  route("/v1/clouds/[id]/reminders", cloudsIdReminders),
  route("/v1/clouds/[id]", cloudsId),
  route("/v1/clouds", clouds),
  route("/v1/credential-assignments/[id]/approve", credentialAssignmentsIdApprove),
  route("/v1/credential-assignments/[id]/reject", credentialAssignmentsIdReject),
  route("/v1/credential-assignments/[id]/revoke", credentialAssignmentsIdRevoke),
  route("/v1/domains/[id]/audit/entries/[seq]", domainsIdAuditEntriesSeq),
  route("/v1/domains/[id]/audit/entries", domainsIdAuditEntries),
  route("/v1/domains/[id]/audit/erase-identity", domainsIdAuditEraseIdentity),
  route("/v1/domains/[id]/audit/verify", domainsIdAuditVerify),
  route("/v1/domains/[id]/identities/[principalId]", domainsIdIdentitiesPrincipalId),
  route("/v1/domains/[id]/identities", domainsIdIdentities),
  route("/v1/domains/[id]/invitations/[invitationId]", domainsIdInvitationsInvitationId),
  route("/v1/domains/[id]/invitations", domainsIdInvitations),
  route("/v1/domains/[id]", domainsId),
  route("/v1/domains", domains),
  route("/v1/health", health),
  route("/v1/openapi.json", openapiJson),
  route("/v1/projects/[id]/cloud-assignments", projectsIdCloudAssignments),
  route("/v1/platform/audit/entries/[seq]", platformAuditEntriesSeq),
  route("/v1/platform/audit/entries", platformAuditEntries),
  route("/v1/platform/audit/erase-identity", platformAuditEraseIdentity),
  route("/v1/platform/audit/verify", platformAuditVerify),
  route("/v1/projects/[id]/credential-assignments", projectsIdCredentialAssignments),
  route("/v1/projects/[id]", projectsId),
  route("/v1/projects", projects),
];

/** What no route serves: app/v1/[[...rest]]/route.ts's 404 problem, the answer Next gives the same path. */
const NOT_FOUND: RouteModule = unrouted;

export interface ApiDispatch {
  handler: ApiHandler;
  params: Record<string, string>;
}

/**
 * The handler for a /v1 request, or undefined to leave it to Next: HEAD and
 * OPTIONS (Next derives them from the route), a method the route does not
 * export (Next's 405 with Allow), and any path Next would first redirect or
 * decode (lib/http/api-routes.ts).
 */
export function apiDispatchFor(method: string, pathname: string): ApiDispatch | undefined {
  if (!(API_METHODS as readonly string[]).includes(method) || !isPlainApiPath(pathname)) return undefined;
  const match = matchApiRoute(API_ROUTES, pathname);
  if (!match) return { handler: NOT_FOUND[method as ApiMethod]!, params: {} };
  const handler = match.route.handlers[method as ApiMethod];
  return handler ? { handler, params: match.params } : undefined;
}

/** A request's route label (routeLabel in lib/http/api-routes.ts), with the table's template when one matches. */
export function routeTemplateFor(pathname: string): string {
  return routeLabel(pathname, matchApiRoute(API_ROUTES, pathname)?.route.pattern);
}
