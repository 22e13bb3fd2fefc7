export { AcceptsApiKeyScopes } from './api-key-scopes.js';
export { AuthModule } from './auth.module.js';
export { Public } from './auth.guard.js';
