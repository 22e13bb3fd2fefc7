/**
 * How lint:boundaries resolves imports, in the shape of a webpack `resolve` section (the one
 * way dependency-cruiser takes aliases). package.json "imports" sends #platform/… to dist/,
 * which is built code or absent; the boundaries are about src/, so the same prefixes point
 * there, and the ".js" of an ESM import names its ".ts" source.
 */
import { join } from 'node:path';

const at = (path) => join(import.meta.dirname, path);

export default {
  resolve: {
    importsFields: [],
    alias: {
      '#platform': at('./src/platform'),
      '#operational': at('./src/operational'),
      '#analytical': at('./src/analytical'),
      '#collaborative': at('./src/collaborative'),
      '#migrations': at('./migrations'),
    },
    extensionAlias: { '.js': ['.ts', '.js'] },
  },
};
