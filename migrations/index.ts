import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';

/** Every migration, oldest first. A release upgrades by running the ones a database lacks. */
export const MIGRATIONS = [InitialSchema1764000000000];
