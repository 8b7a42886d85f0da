// Builds the web page into offchain/web/dist/ (served by the service at `/`).
// Usage: node web/build.mjs [--watch]   (npm run build:web)
//
// The contract ABI comes from the Hardhat artifact (the one ABI hand-off); the contracts are
// recompiled first when stale, and only the `abi` field enters the bundle (module "latentkin:abi").
// LATENTKIN_ARTIFACT=path overrides the artifact (development against another ABI).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "web");
const dist = join(root, "offchain", "web", "dist");
const artifact = process.env.LATENTKIN_ARTIFACT ?? join(root, "artifacts", "contracts", "LatentKin.sol", "LatentKin.json");

/** Compiles the contracts when their artifacts are stale, the same way the Python side does. */
function compileIfStale() {
  const python = join(root, ".venv", "bin", "python");
  if (existsSync(python)) {
    // offchain.chain.hardhat recompiles when the sources' digest changed, under a file lock.
    const code = "from offchain.chain.hardhat import compile_contracts; compile_contracts()";
    execFileSync(python, ["-c", code], { cwd: root, stdio: "inherit" });
  } else if (!existsSync(artifact)) {
    execFileSync("npx", ["hardhat", "compile", "--quiet"], { cwd: root, stdio: "inherit" });
  }
}

function loadAbi() {
  if (!process.env.LATENTKIN_ARTIFACT) compileIfStale();
  if (!existsSync(artifact)) throw new Error(`no LatentKin artifact at ${artifact}: is contracts/LatentKin.sol there?`);
  return JSON.parse(readFileSync(artifact, "utf8")).abi;
}

const abiPlugin = {
  name: "latentkin-abi",
  setup(build) {
    build.onResolve({ filter: /^latentkin:abi$/ }, (args) => ({ path: args.path, namespace: "latentkin" }));
    build.onLoad({ filter: /.*/, namespace: "latentkin" }, () => ({
      contents: `export default ${JSON.stringify(loadAbi())};`,
      loader: "js",
    }));
  },
};

const options = {
  entryPoints: { app: join(web, "src", "main.js") },
  bundle: true,
  format: "esm",
  // Code behind a dynamic import() (the Seaport SDK, ~0.5 MB) goes to its own chunk, fetched on first use.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  target: ["es2022"],
  minify: true,
  sourcemap: true,
  outdir: dist,
  plugins: [abiPlugin],
  logLevel: "info",
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const file of ["index.html", "styles.css", "favicon.svg"]) cpSync(join(web, file), join(dist, file));

if (process.argv.includes("--watch")) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
