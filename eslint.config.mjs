// ESLint: typescript-eslint's strict, type-checked rules, plus the size limits the team keeps
// (docs/architecture.md, "Conventions"). `npm test` runs it through `npm run lint`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "src/generated/", "node_modules/", "scratch/", ".bench/", "test-output/"] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.mjs", "bin/*.mjs", "scripts/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "max-lines": ["error", { max: 220, skipBlankLines: true, skipComments: true }],
      "max-lines-per-function": ["error", { max: 50, skipBlankLines: true, skipComments: true }],
      "max-params": ["error", 4],
      // Numbers print the same everywhere; `${n}` is clearer than `${String(n)}`.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // `() => expect(x)` in vi.waitFor and `(r) => resolve()` callbacks read better than braces.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
    },
  },
  {
    // Test files are long lists of cases inside describe() callbacks, and a test that
    // asserts on a row it just inserted may say so with `!`.
    files: ["test/**/*.ts"],
    rules: { "max-lines": "off", "max-lines-per-function": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    files: ["**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
