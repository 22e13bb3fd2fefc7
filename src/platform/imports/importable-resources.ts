import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DtoClass } from '#platform/http/dto-validation.js';
import { recordEndpoints } from '#platform/records/record-controller.factory.js';
import { RecordResourceService } from '#platform/records/record-resource.service.js';
import type { ResourceDefinition } from '#platform/records/resource-definition.js';

/** A record type an import can write, with the rules its API applies. */
export interface ImportableResource {
  def: ResourceDefinition;
  service: RecordResourceService;
  createDto: DtoClass<object>;
  updateDto: DtoClass<object>;
}

/** Every record type with the REST contract — built-in, from other modules, or custom objects. */
@Injectable()
export class ImportableResources {
  private byEntity: Map<string, ImportableResource> | null = null;

  constructor(private readonly moduleRef: ModuleRef) {}

  private all(): Map<string, ImportableResource> {
    if (!this.byEntity) {
      this.byEntity = new Map();
      for (const endpoint of recordEndpoints.values()) {
        const service = this.moduleRef.get(endpoint.service, { strict: false });
        this.byEntity.set(service.def.entity, {
          def: service.def,
          service,
          createDto: endpoint.createDto,
          updateDto: endpoint.updateDto,
        });
      }
    }
    return this.byEntity;
  }

  get(entity: string): ImportableResource | undefined {
    return this.all().get(entity);
  }

  entities(): string[] {
    return [...this.all().keys()].sort();
  }
}
