"use client";

import { deferred } from "@/components/deferred";

/** The issue form, its code (react-hook-form with it) fetched as the page hydrates rather than with the page. */
export const IssueCredentialForm = deferred(() => import("./IssueCredentialForm").then((m) => m.IssueCredentialForm));
