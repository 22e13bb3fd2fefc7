export type Scope = 'none' | 'own' | 'team' | 'all';
export type CrudAction = 'create' | 'read' | 'update' | 'delete';
export type FieldAccess = 'hidden' | 'read-only';

export interface EntityGrant {
  create: Scope;
  read: Scope;
  update: Scope;
  delete: Scope;
  /** May change ownerId / teamId of records it can update. */
  reassign: boolean;
}

export interface RolePermissions {
  /** Administers users, teams, roles and purges deleted records. */
  admin: boolean;
  entities: Record<string, EntityGrant>;
  fields: Record<string, Record<string, FieldAccess>>;
}

/** Who is calling: resolved once per request from a JWT or an API key. */
export interface Principal {
  userId: string;
  email: string;
  roleId: string;
  roleName: string;
  teamIds: string[];
  /** Everyone who shares a team with the caller, the caller included: the reach of `team` scope. */
  teammateIds: string[];
  permissions: RolePermissions;
  /** Set when the call is made with an API key rather than a session. */
  apiKeyId: string | null;
  /** Scopes the API key is limited to; absent or null: not limited. */
  apiKeyScopes?: readonly string[] | null;
}
