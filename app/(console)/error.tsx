"use client";

import { PageError } from "@/components/PageError";

// A page under the console's navigation failed to render (e.g. the database is down).
export default PageError;
