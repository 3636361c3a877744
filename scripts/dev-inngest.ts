// `npm run dev:inngest`: `npm run dev` with Inngest doing the work instead of the embedded worker.
// Start the Inngest dev server beside it; it discovers the app's functions at /api/inngest:
//   npx inngest-cli@latest dev -u http://localhost:3000/api/inngest
import { run } from "./launch";

process.env.INNGEST_DEV = "1";
const port = process.env.PORT || "3000";
console.log(`[tributary] Inngest mode: start the dev server with  npx inngest-cli@latest dev -u http://localhost:${port}/api/inngest`);
run("dev");
