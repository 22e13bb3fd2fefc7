export { AccessModule } from './access.module.js';
export { PermissionEvaluator } from './permission-evaluator.js';
