// ESLint 9 flat config for the browser modules in static/web (plain ES modules, no build step).
// Formatting is Prettier's job (`make format-js`); these rules are about correctness.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "staticfiles/", "artifacts/", ".venv/", "htmlcov/"] },
  js.configs.recommended,
  {
    files: ["static/web/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.browser,
    },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", ignoreRestSiblings: true }],
      "no-use-before-define": ["error", { functions: false, classes: true, variables: true }],
      "no-shadow": "error",
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always"],
      "no-implicit-globals": "error",
      "no-param-reassign": "error",
      "no-restricted-syntax": [
        "error",
        {
          selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]",
          message: "Build nodes with el() from api.js: one rendering style, no HTML strings.",
        },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: "Build nodes with el() from api.js: one rendering style, no HTML strings.",
        },
      ],
      "object-shorthand": "error",
      "prefer-template": "error",
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
