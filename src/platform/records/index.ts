export { IsInstant } from './dto/is-instant.validator.js';
export { ListMetaDto } from './dto/list.dto.js';
export { MergeDto } from './dto/merge.dto.js';
export { IsCurrencyCode, IsDecimalString, MoneyDto } from './dto/money.dto.js';
export { CustomFieldsInput, OwnerIdInput, TeamIdInput } from './dto/record-input-fields.js';
export { RecordResponse } from './dto/record-response.dto.js';
export {
  RECORD_CONDITION_SCHEMA,
  allConditionsHold,
  conditionValueProblems,
  conditionValues,
} from './record-condition.js';
export type { RecordCondition } from './record-condition.js';
export { recordController } from './record-controller.factory.js';
export type { RecordHooks, RecordWrite } from './record-hooks.js';
export { RecordResourceService } from './record-resource.service.js';
export { RecordService } from './record.service.js';
export {
  RECORD_ATTRIBUTES,
  querySchemaOf,
  recordSelect,
  rowToRecord,
} from './resource-definition.js';
export type { ApiRecord, Attribute, ResourceDefinition } from './resource-definition.js';
export { ResourceRegistry } from './resource-registry.js';
export type { RecordReference } from './resource-registry.js';
export { scalarAttribute } from './resource-definition.js';
export type { CreateOptions } from './record-resource.service.js';
export type { AfterWrite } from './record-hooks.js';
