// Runs the server's boot (lib/boot.ts) in a process of its own and exits 0
// once it is ready; lib/boot.test.ts starts several at once.
import { boot } from "@/lib/boot";

void boot().then(() => process.exit(0));
