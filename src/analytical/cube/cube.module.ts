import { Module } from '@nestjs/common';
import { CubeController } from './cube.controller.js';
import { CubeRefreshJob } from './cube-refresh.job.js';
import { CubeService } from './cube.service.js';

/** OLAP cubes over materialized views: the query API, their description and their refresh. */
@Module({
  controllers: [CubeController],
  providers: [CubeService, CubeRefreshJob],
  exports: [CubeService],
})
export class CubeModule {}
