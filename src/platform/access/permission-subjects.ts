const registered = new Set<string>();

/**
 * What a role may be granted besides record types: a module's own subject that is not a
 * record resource (messaging threads, customer analytics). Grants on it take the same CRUD
 * scopes as records; field rules stay for record types, which have fields. The list is read
 * live, so role validation sees every subject the modules registered at boot.
 */
export function registerPermissionSubjects(subjects: readonly string[]): void {
  for (const subject of subjects) registered.add(subject);
}

export function permissionSubjects(): readonly string[] {
  return [...registered];
}
