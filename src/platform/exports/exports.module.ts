import { Global, Module } from '@nestjs/common';
import { RecordExportService } from './record-export.service.js';

/**
 * CSV export of any record list. Global because every resource's generated controller
 * (`GET /api/v1/<resource>/export`) uses it, in whichever module the resource lives.
 */
@Global()
@Module({
  providers: [RecordExportService],
  exports: [RecordExportService],
})
export class ExportsModule {}
