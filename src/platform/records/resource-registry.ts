import { Injectable } from '@nestjs/common';
import { rememberDefinition, type ResourceDefinition } from './resource-definition.js';

/** A column elsewhere that points at records of an entity; merge moves it to the survivor. */
export interface RecordReference {
  table: string;
  column: string;
  /** Entity of the referring table when it keeps history, so the move is recorded. */
  entity: string | null;
  /** API name of the referring attribute, for the history entry. */
  attribute: string;
  /** For a column that points at several record types: the type column and this entity's value. */
  typedBy?: { column: string; value: string };
  /** The column is a text[] of ids (participants) rather than one id. */
  array?: boolean;
}

/** Definitions of every record type, so relations can be embedded and merged generically. */
@Injectable()
export class ResourceRegistry {
  private readonly definitions = new Map<string, ResourceDefinition>();
  private readonly references = new Map<string, RecordReference[]>();

  register(def: ResourceDefinition): void {
    this.definitions.set(def.entity, def);
    rememberDefinition(def);
  }

  get(entity: string): ResourceDefinition {
    const def = this.definitions.get(entity);
    if (!def) throw new Error(`No resource definition registered for ${entity}`);
    return def;
  }

  entities(): string[] {
    return [...this.definitions.keys()];
  }

  /** Declares that `reference` points at records of `entity` (modules call this at start). */
  addReference(entity: string, reference: RecordReference): void {
    const list = this.references.get(entity) ?? [];
    if (!list.some((r) => r.table === reference.table && r.column === reference.column))
      list.push(reference);
    this.references.set(entity, list);
  }

  referencesTo(entity: string): readonly RecordReference[] {
    return this.references.get(entity) ?? [];
  }
}
