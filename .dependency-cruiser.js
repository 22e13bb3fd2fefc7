/**
 * Module boundaries, checked by `npm run lint:boundaries` (part of `npm run lint`).
 *
 * A feature is `src/platform/<area>/` or `src/<operational|analytical|collaborative>/<module>/`;
 * its public file is `index.ts`. docs/modules.md explains the layout. Each rule's comment is the
 * message printed when an import breaks it, so say there what to do instead.
 *
 * Tests (`test/`, `*.spec.ts`), `bench/`, `scripts/`, `migrations/` and the composition root
 * (`src/*.ts`: app.module, main, server, worker, app-config-sections) may import what they need:
 * they assemble or exercise features, they are not features.
 */

/** Source of a feature that other features depend on: not a test, not a type declaration. */
const FEATURE_CODE_NOT = String.raw`(\.spec\.ts|\.d\.ts)$`;
const DOMAIN = String.raw`^src/(operational|analytical|collaborative)/`;

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'platform-not-to-domain',
      severity: 'error',
      comment:
        'The platform knows no CRM domain: code under src/platform must not import operational, ' +
        'analytical or collaborative modules. Make the mechanism generic (a hook, a registry, an ' +
        'event) and let the domain module plug into it.',
      from: { path: '^src/platform/', pathNot: FEATURE_CODE_NOT },
      to: { path: DOMAIN },
    },
    {
      name: 'operational-not-to-analytical-or-collaborative',
      severity: 'error',
      comment:
        'Operational modules run the business; analytical and collaborative ones build on them, ' +
        'never the other way round. Publish a domain event that the analytical or collaborative ' +
        'module subscribes to.',
      from: { path: '^src/operational/', pathNot: FEATURE_CODE_NOT },
      to: { path: '^src/(analytical|collaborative)/' },
    },
    {
      name: 'no-deep-import-into-feature',
      severity: 'error',
      comment:
        "Another feature is used only through its public file: import from '<feature>/index.js' " +
        "(e.g. '#platform/records/index.js', '#operational/customers/index.js'). If what you need " +
        'is not exported there, decide whether it is public and add it to that index.ts.',
      from: {
        path: String.raw`^src/(operational|analytical|collaborative)/([^/]+)/`,
        pathNot: FEATURE_CODE_NOT,
      },
      to: {
        path: String.raw`^src/(platform|operational|analytical|collaborative)/[^/]+/`,
        pathNot: [String.raw`^src/$1/$2/`, String.raw`^src/[^/]+/[^/]+/index\.ts$`],
      },
    },
    {
      name: 'no-own-index-import',
      severity: 'error',
      comment:
        "A feature's own files import each other directly (relative paths); importing its own " +
        'index.ts makes an import cycle that ESM may evaluate before the classes exist.',
      from: { path: String.raw`^src/(platform|operational|analytical|collaborative)/([^/]+)/` },
      to: { path: String.raw`^src/$1/$2/index\.ts$` },
    },
    {
      name: 'feature-not-to-composition-root',
      severity: 'error',
      comment:
        'src/*.ts (app.module, main, server, worker, app-config-sections) assemble the features; a ' +
        'feature must not import them back. Take what you need by injection or from config.',
      from: { path: '^src/[^/]+/', pathNot: FEATURE_CODE_NOT },
      to: { path: String.raw`^src/[^/]+\.ts$` },
    },
    {
      name: 'src-not-to-tests-or-tools',
      severity: 'error',
      comment:
        'Shipped code must not depend on tests, benchmarks or scripts; move what is shared into src.',
      from: { path: '^src/', pathNot: FEATURE_CODE_NOT },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycle. ESM evaluates one module of a cycle before the other, so a class used by a ' +
        'decorator or `extends` can be read before it exists. Move the shared part into a third ' +
        'file, or depend on an event or token instead.',
      from: { path: '^src/' },
      to: {
        circular: true,
        // A cycle made only of `import type` is erased at compile time and cannot misorder anything.
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },
    {
      name: 'no-circular-between-domain-features',
      severity: 'error',
      scope: 'folder',
      comment:
        'Two domain modules depend on each other. Pick the direction (the one that is used) and ' +
        'make the other side react to its domain events instead of importing it.',
      from: { path: String.raw`^src/(operational|analytical|collaborative)/[^/]+$` },
      to: { path: String.raw`^src/(operational|analytical|collaborative)/[^/]+$`, circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'Nothing imports this file and it imports nothing: delete it, or wire it in. Entry points, ' +
        'specs and type declarations are exempt.',
      from: {
        orphan: true,
        pathNot: [
          String.raw`\.d\.ts$`,
          String.raw`\.spec\.ts$`,
          String.raw`\.e2e-spec\.ts$`,
          String.raw`^src/(main|worker)\.ts$`,
          '^scripts/',
          '^bench/',
          String.raw`^src/[^/]+/[^/]+/index\.ts$`,
        ],
      },
      to: {},
    },
    {
      name: 'not-to-dist',
      severity: 'error',
      comment:
        'This import resolved to built code in dist/, so the rules above would not see the ' +
        'source it stands for. Import the source, or fix .dependency-cruiser.resolve.js.',
      from: {},
      to: { path: '^dist/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment:
        'This import resolves to no file. Subpath imports (#platform/…) point at src through ' +
        '.dependency-cruiser.resolve.js; check the path and the .js suffix.',
      // The typed-client program imports types the typed-client test generates from the API
      // document at run time (test/typed-client/api.ts, not checked in).
      from: { pathNot: String.raw`^test/typed-client/` },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // `import type` counts: a type-only deep import still couples to another feature's internals.
    tsPreCompilationDeps: true,
    // package.json "imports" points #platform/… at dist/; this maps them back to src/.
    webpackConfig: { fileName: '.dependency-cruiser.resolve.js' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    doNotFollow: { path: ['node_modules', '^dist/'] },
    exclude: { path: ['^node_modules/', String.raw`^\.data/`] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
