import type { CrmConfig, PlatformSettings } from './crm-config.js';

/**
 * A top-level section of crm.config.yaml that a module owns: its JSON Schema, how its
 * defaults are filled in, and the checks of meaning a schema cannot say. The platform
 * composes every section into one schema, so a file is still validated at once and each
 * problem names its path (`/stores/0/openingHours/3/closesAt`).
 */
export interface ConfigSection<T = unknown> {
  /** The section's key at the top of the file. */
  readonly key: string;
  /** JSON Schema of the section's value (Ajv strict mode). */
  readonly schema: Readonly<Record<string, unknown>>;
  /**
   * The section's value from what the file gives (already valid against `schema`, or
   * `undefined` when the file leaves it out), with the defaults filled in. `settings` lets a
   * default follow a platform setting, such as the organization's currency.
   */
  resolve(given: unknown, settings: PlatformSettings): T;
  /** Problems as `/path: message`, reported with every other problem of the file. */
  problems?(value: T, settings: PlatformSettings): string[];
  /** The section's value in a parsed config, typed. */
  read(config: CrmConfig): T;
}

/** The modules' part of the config: composed at the application root and handed to the parser. */
export interface ConfigComposition {
  readonly sections: readonly ConfigSection[];
  /** API paths the modules serve or keep for later; custom objects may not take them. */
  readonly reservedPaths: readonly string[];
}

/** Declares a section; `read` fails loudly when the app was started without composing it. */
export function defineConfigSection<T>(spec: Omit<ConfigSection<T>, 'read'>): ConfigSection<T> {
  return {
    ...spec,
    read(config: CrmConfig): T {
      if (!Object.hasOwn(config.sections, spec.key))
        throw new Error(`config section "${spec.key}" is not part of this application's config`);
      return config.sections[spec.key] as T;
    },
  };
}
