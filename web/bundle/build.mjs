// Bundles the explorer page's browser libraries into one ES module and its
// layout worker, and writes their licences beside them:
//   web/assets/vendor.js           (entry.js's exports, minified)
//   web/assets/layout-worker.js    (ForceAtlas2's web worker, layout-worker.js)
//   web/assets/vendor-LICENSES.txt (the licence of every package bundled)
// Run from web/ with `npm ci && npm run build` (see web/README.md).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const out = "assets";
const common = { bundle: true, minify: true, target: "es2020", legalComments: "none", metafile: true };
const results = [
  await build({
    ...common,
    entryPoints: ["bundle/entry.js"],
    format: "esm",
    outfile: `${out}/vendor.js`,
    banner: {
      js: "/*! graphmodel explorer: sigma, graphology, graphology-layout-forceatlas2, d3-polygon and their dependencies (MIT, ISC); see vendor-LICENSES.txt */",
    },
  }),
  await build({
    ...common,
    entryPoints: ["bundle/layout-worker.js"],
    format: "iife",
    outfile: `${out}/layout-worker.js`,
    banner: {
      js: "/*! graphmodel explorer: graphology-layout-forceatlas2's web worker (MIT); see vendor-LICENSES.txt */",
    },
  }),
];

// Every package with a file in a bundle, by its folder under node_modules.
const packages = new Set();
for (const result of results) {
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (match) packages.add(match[1]);
  }
}
const sections = [...packages].sort().map((name) => {
  const manifest = JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8"));
  const file = ["LICENSE", "LICENSE.txt", "LICENSE.md", "license"].find((candidate) => {
    try {
      readFileSync(`node_modules/${name}/${candidate}`);
      return true;
    } catch {
      return false;
    }
  });
  if (!file) throw new Error(`${name} has no licence file`);
  const text = readFileSync(`node_modules/${name}/${file}`, "utf8").trim();
  return `${name} ${manifest.version} (${manifest.license})\n${"=".repeat(60)}\n\n${text}\n`;
});
writeFileSync(
  `${out}/vendor-LICENSES.txt`,
  `The browser libraries bundled in vendor.js and layout-worker.js, and their licences.\n\n${sections.join("\n\n")}`,
);
console.log(`vendor.js: ${[...packages].sort().join(", ")}`);
