import { Module } from '@nestjs/common';
import { AuthModule } from '#platform/auth/auth.module.js';
import { ImportErrorsService } from './import-errors.service.js';
import { ImportInserts } from './import-inserts.js';
import { ImportRetention } from './import-retention.js';
import { ImportRunner } from './import-runner.js';
import { ImportStore } from './import-store.js';
import { ImportableResources } from './importable-resources.js';
import { ImportsController } from './imports.controller.js';
import { ImportsService } from './imports.service.js';

/**
 * CSV import of any record type: uploads staged with COPY, a durable job per import that
 * writes the rows in batches, progress, row errors, cancelling, and deleting old imports. The runner needs the
 * principal of the user who uploaded, hence AuthModule.
 */
@Module({
  imports: [AuthModule],
  controllers: [ImportsController],
  providers: [
    ImportsService,
    ImportErrorsService,
    ImportRunner,
    ImportStore,
    ImportInserts,
    ImportRetention,
    ImportableResources,
  ],
})
export class ImportsModule {}
