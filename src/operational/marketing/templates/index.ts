/** What other modules use of templates: the module and the service that renders them. */
export { TemplatesModule } from './templates.module.js';
export { MessageTemplatesService, type RenderedMessage } from './message-templates.service.js';
export { MissingMergeField } from './template-engine.js';
export { MESSAGE_TEMPLATE_DEFINITION } from './message-template.definition.js';
export { TEMPLATE_PROBLEMS } from './templates.errors.js';
