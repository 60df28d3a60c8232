// `npm run db:seed`: seeds the demo into DATABASE_URL (once; a second run changes nothing).
import { seedDemo } from "@/lib/demo/seed";
import { disconnectDb } from "@/lib/db/client";

const seeded = await seedDemo();
console.log(seeded ? "Seeded the demo data." : "The demo data was already there; nothing changed.");
await disconnectDb();
