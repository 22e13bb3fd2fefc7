export { AcceptsApiKeyScopes } from './api-key-scopes.js';
export { Public } from './auth.guard.js';
export { AuthModule } from './auth.module.js';
