import { SetMetadata } from '@nestjs/common';
import { ValidateBy, type ValidationOptions } from 'class-validator';

const registered: string[] = [];

/**
 * Scopes an API key may be limited to, as the modules registered them at boot. A key without
 * scopes acts with its owner's full role; a key with scopes reaches only the routes that
 * accept one of them (403 elsewhere), so a key embedded in a public web form can do that one
 * thing. The list is read live: the DTO rules and the API document see every registered scope.
 */
export const API_KEY_SCOPES: readonly string[] = registered;
export type ApiKeyScope = string;

/** Adds a module's scopes; the application root calls it once at boot, before serving. */
export function registerApiKeyScopes(scopes: readonly ApiKeyScope[]): void {
  for (const scope of scopes) if (!registered.includes(scope)) registered.push(scope);
}

export const API_KEY_SCOPES_METADATA = 'relasi:api-key-scopes';

/** Lets API keys limited to one of `scopes` call this route (besides unrestricted callers). */
export const AcceptsApiKeyScopes = (...scopes: ApiKeyScope[]) =>
  SetMetadata(API_KEY_SCOPES_METADATA, scopes);

/**
 * At most as many scopes as are registered, counted when a request is checked (not when the
 * DTO class is declared, before the modules registered theirs). Answers as `@ArrayMaxSize`.
 */
export const ArrayMaxSizeOfScopes = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'arrayMaxSize',
      validator: {
        validate: (value) => Array.isArray(value) && value.length <= API_KEY_SCOPES.length,
        defaultMessage: () =>
          `$property must contain no more than ${API_KEY_SCOPES.length} elements`,
      },
    },
    options,
  );
