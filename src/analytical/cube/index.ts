/** What other modules use of the cubes: the module, the query service and the query types. */
export { CubeModule } from './cube.module.js';
export { CubeService, type CubeResult } from './cube.service.js';
export type { CheckedCubeQuery, CubeQuery } from './cube-query.js';
export type { CubeRow, CubePivot, MeasureValue } from './cube-results.js';
export { CubeQueryDto, CubeFilterDto } from './dto/cube-query.dto.js';
export { CubeResultDto, MEASURE_VALUES } from './dto/cube-result.dto.js';
export { CUBES_CONFIG, CUBES_SECTION } from './cube.config.js';
export { CUBE_PROBLEMS } from './cube.errors.js';
export * from './cube.events.js';
