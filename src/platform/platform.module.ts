import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PermissionEvaluator } from './access/permission-evaluator.js';
import { HistoryService } from './audit/history.service.js';
import { CRM_CONFIG, ENV } from './config/config.tokens.js';
import type { CrmConfig } from './config/crm-config.js';
import type { Env } from './config/env.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { DatabaseService } from './database/database.service.js';
import { CustomFieldValidator } from './customization/custom-field-validator.js';
import { CustomizationService } from './customization/customization.service.js';
import { EventBus } from './events/event-bus.js';
import { EventDispatcher } from './events/event-dispatcher.js';
import { EventOutbox } from './events/event-outbox.service.js';
import { Readiness } from './health/readiness.js';
import { JobsService } from './jobs/jobs.service.js';
import { BulkExecutor } from './records/bulk-executor.js';
import { RecordService } from './records/record.service.js';
import { ResourceRegistry } from './records/resource-registry.js';
import { TimelineService } from './timeline/timeline.service.js';

export interface PlatformOptions {
  env: Env;
  config: CrmConfig;
  databaseUrl: string;
  /** False when only the OpenAPI document is wanted: nothing connects to a database. */
  connect: boolean;
}

const SHARED = [
  DatabaseService,
  PermissionEvaluator,
  HistoryService,
  RecordService,
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
