import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { guardNextAuth } from "@/lib/auth/route";

const handler = guardNextAuth(async (request, context) => NextAuth(await authOptions())(request, context));

export { handler as GET, handler as HEAD, handler as POST };
