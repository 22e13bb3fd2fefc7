export { IsPicklistValue } from './custom-fields.validator.js';
export { LOCALIZED_TEXT_SCHEMA } from './customization.schema.js';
export type { CustomFieldConfig, LocalizedText } from './customization.schema.js';
export { CustomizationService } from './customization.service.js';
