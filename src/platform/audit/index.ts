export type { FieldChange } from './history.service.js';
