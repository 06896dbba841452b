// ESLint for the explorer page's own modules (assets/*.js) and the bundle's
// build script; the bundled libraries (assets/vendor.js, assets/layout-worker.js)
// are not ours to lint.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["assets/vendor.js", "assets/layout-worker.js", "node_modules/**"] },
  js.configs.recommended,
  {
    files: ["assets/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
  },
  {
    files: ["bundle/**/*.mjs", "bundle/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
  {
    files: ["bundle/layout-worker.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.worker },
  },
];
