import { guardNextAuth } from "@/lib/auth/guard";
import { authRoute } from "@/lib/auth/route";

const handler = guardNextAuth(authRoute);

export { handler as GET, handler as HEAD, handler as POST };
