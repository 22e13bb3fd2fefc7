import { type DynamicModule, Injectable, Module, type Type } from '@nestjs/common';
import type { CustomObjectConfig } from '../customization.schema.js';
import { recordController } from '#platform/records/record-controller.factory.js';
import { RecordResourceService } from '#platform/records/record-resource.service.js';
import { RecordService } from '#platform/records/record.service.js';
import {
  RECORD_ATTRIBUTES,
  type ResourceDefinition,
} from '#platform/records/resource-definition.js';
import {
  CreateCustomObjectDto,
  CustomObjectDto,
  UpdateCustomObjectDto,
} from './custom-object.dto.js';

function pascal(entity: string): string {
  return entity.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** A custom object's record type: rows of custom_object_records with `object` = its key. */
export function customObjectDefinition(o: CustomObjectConfig): ResourceDefinition {
  return {
    entity: o.entity,
    label:
      o.label.en
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_|_$/g, '') || o.entity,
    table: 'custom_object_records',
    alias: 'o',
    discriminator: { column: 'object', value: o.entity },
    attributes: [
      { name: 'name', column: 'name', kind: 'scalar', type: 'string', sortable: true },
      {
        name: 'description',
        column: 'description',
        kind: 'scalar',
        type: 'string',
        nullable: true,
      },
      ...RECORD_ATTRIBUTES,
    ],
    relations: [],
    search: 'lower(o.name)',
    defaultSort: '-createdAt',
  };
}

/** A DTO class of its own per object, so the OpenAPI document names and describes each one. */
function named<T extends Type<object>>(base: T, name: string): T {
  const cls = class extends base {};
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

/**
 * Everything an object declared in crm.config.yaml needs to have the full REST contract —
 * CRUD, lists, bulk, history, permissions, OpenAPI — built from the config, with no code.
 */
@Module({})
export class CustomObjectsModule {
  static forObjects(objects: readonly CustomObjectConfig[]): DynamicModule {
    const controllers: Type<unknown>[] = [];
    const providers: Type<unknown>[] = [];
    for (const o of objects) {
      const def = customObjectDefinition(o);
      @Injectable()
      class CustomObjectService extends RecordResourceService {
        readonly def = def;
        constructor(records: RecordService) {
          super(records);
        }
      }
      Object.defineProperty(CustomObjectService, 'name', { value: `${pascal(o.entity)}Service` });
      const name = pascal(o.entity);
      providers.push(CustomObjectService);
      controllers.push(
        recordController({
          path: o.entity,
          tag: o.labelPlural?.en ?? name,
          label: o.label.en.toLowerCase(),
          service: CustomObjectService,
          createDto: named(CreateCustomObjectDto, `Create${name}Dto`),
          updateDto: named(UpdateCustomObjectDto, `Update${name}Dto`),
          responseDto: named(CustomObjectDto, `${name}Dto`),
          filterExample: 'filter[name][startsWith]=A',
        }),
      );
    }
    return { module: CustomObjectsModule, controllers, providers };
  }
}
