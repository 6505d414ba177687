/**
 * The path and query of the page being rendered, put on the request by
 * proxy.ts (which overwrites whatever a client sent), so a signed-out visitor
 * can be sent to sign in and brought back to it.
 */
export const REQUEST_PATH_HEADER = "x-plexsphere-path";
