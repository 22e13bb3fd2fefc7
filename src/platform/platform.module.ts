import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PermissionEvaluator } from '#platform/access/permission-evaluator.js';
import { HistoryService } from '#platform/audit/history.service.js';
import { CRM_CONFIG, ENV } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import { dataSourceOptions } from '#platform/database/data-source-options.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { ReadReplica } from '#platform/database/read-replica.js';
import { CustomFieldValidator } from '#platform/customization/custom-field-validator.js';
import { CustomizationService } from '#platform/customization/customization.service.js';
import { EventBus } from '#platform/events/event-bus.js';
import { EventDispatcher } from '#platform/events/event-dispatcher.js';
import { EventOutbox } from '#platform/events/event-outbox.service.js';
import { Readiness } from '#platform/health/readiness.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { BulkExecutor } from '#platform/records/bulk-executor.js';
import { RECORD_PROVIDERS } from '#platform/records/record-providers.js';
import { ResourceRegistry } from '#platform/records/resource-registry.js';
import { TimelineService } from '#platform/timeline/timeline.service.js';

export interface PlatformOptions {
  env: Env;
  config: CrmConfig;
  databaseUrl: string;
  /** False when only the OpenAPI document is wanted: nothing connects to a database. */
  connect: boolean;
}

const SHARED = [
  ReadReplica,
  DatabaseService,
  PermissionEvaluator,
  HistoryService,
  ...RECORD_PROVIDERS,
  ResourceRegistry,
  Readiness,
  BulkExecutor,
  EventOutbox,
  EventBus,
  EventDispatcher,
  JobsService,
  CustomFieldValidator,
  CustomizationService,
  TimelineService,
];

/** Mechanisms every module uses: config, database, access evaluation, history, records. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.env, options.databaseUrl),
          manualInitialization: !options.connect,
        }),
      ],
      providers: [
        { provide: ENV, useValue: options.env },
        { provide: CRM_CONFIG, useValue: options.config },
        ...SHARED,
      ],
      exports: [ENV, CRM_CONFIG, ...SHARED],
    };
  }
}
