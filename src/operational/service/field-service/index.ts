/** What other modules use of field service: the module and its work orders. */
export { FieldServiceModule } from './field-service.module.js';
export { WorkOrdersService } from './work-orders.service.js';
export { FIELD_SERVICE_PROBLEMS } from './field-service.errors.js';
export * from './field-service.events.js';
