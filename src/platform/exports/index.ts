export { ExportsModule } from './exports.module.js';
export { csvCell, csvLine } from './csv-cells.js';
