/** class-transformer's metadata store: shipped as `cjs/storage.js`, typed only under `types/`. */
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
