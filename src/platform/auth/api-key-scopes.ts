import { SetMetadata } from '@nestjs/common';

/**
 * Scopes an API key may be limited to. A key without scopes acts with its owner's full role;
 * a key with scopes reaches only the routes that accept one of them (403 elsewhere), so a key
 * embedded in a public web form can do that one thing.
 */
export const API_KEY_SCOPES = ['lead-capture'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_SCOPES_METADATA = 'relasi:api-key-scopes';

/** Lets API keys limited to one of `scopes` call this route (besides unrestricted callers). */
export const AcceptsApiKeyScopes = (...scopes: ApiKeyScope[]) =>
  SetMetadata(API_KEY_SCOPES_METADATA, scopes);
