// Runs in the browser before any page module: zod must build its parsers without Function() there, because the pages'
// Content-Security-Policy has no 'unsafe-eval' (lib/http/contentSecurityPolicy.ts) and zod's probe for it would be reported
// as a violation. Set before the first schema is made, as zod reads the setting when it builds one. The server keeps the
// faster compiled parsers.
import { z } from "zod";

z.config({ jitless: true });
