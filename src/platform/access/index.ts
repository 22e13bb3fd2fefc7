export { AccessModule } from './access.module.js';
export { PermissionEvaluator } from './permission-evaluator.js';
export { permissionSubjects, registerPermissionSubjects } from './permission-subjects.js';
