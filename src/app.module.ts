import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { MessagingModule } from '#collaborative/messaging/index.js';
import { NotificationsModule } from '#collaborative/notifications/index.js';
import { PartnersModule } from '#collaborative/partners/index.js';
import { StreamModule } from '#collaborative/stream/index.js';
import { CustomerAnalyticsModule } from '#analytical/customers/customer-analytics.module.js';
import { BudgetModule } from '#analytical/budget/index.js';
import { CubeModule } from '#analytical/cube/index.js';
import { ReportsModule } from '#analytical/reports/index.js';
import { ActivitiesModule } from '#operational/activities/activities.module.js';
import { CatalogModule } from '#operational/catalog/catalog.module.js';
import { CustomersModule } from '#operational/customers/customers.module.js';
import { MarketingModule } from '#operational/marketing/index.js';
import { CampaignsModule } from '#operational/marketing/campaigns/campaigns.module.js';
import { SegmentsModule } from '#operational/marketing/segments/segments.module.js';
import { TemplatesModule } from '#operational/marketing/templates/index.js';
import { CampaignSendModule } from '#operational/marketing/campaign-send/index.js';
import { AutomationsModule } from '#operational/marketing/automations/index.js';
import { OrdersModule } from '#operational/orders/index.js';
import { PrivacyModule } from '#operational/privacy/index.js';
import { QuotesModule } from '#operational/quotes/quotes.module.js';
import { SalesModule } from '#operational/sales/sales.module.js';
import { ServiceModule } from '#operational/service/service.module.js';
import { CallsModule } from '#operational/service/calls/index.js';
import { FieldServiceModule } from '#operational/service/field-service/index.js';
import { KnowledgeModule } from '#operational/service/knowledge/index.js';
import { PortalModule } from '#operational/service/portal/portal.module.js';
import { CsatModule } from '#operational/service/csat/csat.module.js';
import { AccessModule } from '#platform/access/access.module.js';
import { registerPermissionSubjects } from '#platform/access/permission-subjects.js';
import { registerApiKeyScopes } from '#platform/auth/api-key-scopes.js';
import { AuthModule } from '#platform/auth/auth.module.js';
import { CurrencyModule } from '#platform/currency/currency.module.js';
import { CustomObjectsModule } from '#platform/customization/custom-objects/custom-objects.module.js';
import { ExportsModule } from '#platform/exports/exports.module.js';
import { ImportsModule } from '#platform/imports/imports.module.js';
import { HealthController } from '#platform/health/health.controller.js';
import { JobsModule } from '#platform/jobs/jobs.module.js';
import { DtoValidationPipe } from '#platform/http/dto-validation.js';
import { IdempotencyInterceptor } from '#platform/http/idempotency.interceptor.js';
import { registerProblems } from '#platform/http/problem-catalog.js';
import { ProblemFilter } from '#platform/http/problem.filter.js';
import { PlatformModule, type PlatformOptions } from '#platform/platform.module.js';
import { WebhooksModule } from '#platform/webhooks/webhooks.module.js';
import {
  APP_API_KEY_SCOPES,
  APP_PERMISSION_SUBJECTS,
  APP_PROBLEMS,
} from './app-config-sections.js';

@Module({})
export class AppModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    // Before any route answers or the API document is built; a problem code two modules
    // declare stops the start here.
    registerProblems(APP_PROBLEMS);
    registerApiKeyScopes(APP_API_KEY_SCOPES);
    registerPermissionSubjects(APP_PERMISSION_SUBJECTS);
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(options),
        AuthModule,
        AccessModule,
        JobsModule,
        WebhooksModule,
        CurrencyModule,
        ExportsModule,
        ImportsModule,
        CustomersModule,
        SalesModule,
        ActivitiesModule,
        CatalogModule,
        OrdersModule,
        QuotesModule,
        PrivacyModule,
        ServiceModule,
        KnowledgeModule,
        CallsModule,
        FieldServiceModule,
        PortalModule,
        CsatModule,
        MarketingModule,
        SegmentsModule,
        CampaignsModule,
        StreamModule,
        MessagingModule,
        NotificationsModule,
        PartnersModule,
        CustomerAnalyticsModule,
        CubeModule,
        ReportsModule,
        BudgetModule,
        TemplatesModule,
        CampaignSendModule,
        AutomationsModule,
        CustomObjectsModule.forObjects(options.config.objects),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_PIPE, useClass: DtoValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        // On POST routes only: see applyIdempotencyToPostRoutes.
        IdempotencyInterceptor,
      ],
    };
  }
}
