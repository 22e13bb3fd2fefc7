import { Module } from '@nestjs/common';
import { MarketingModule } from '#operational/marketing/index.js';
import { OrdersModule } from '#operational/orders/index.js';
import { AuthModule } from '#platform/auth/index.js';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { ServiceModule } from '../service.module.js';
import { PortalAccessController, PortalAuthController } from './portal-auth.controller.js';
import { PortalAccessService } from './portal-access.service.js';
import { PortalCasesService } from './portal-cases.service.js';
import { PortalSelfService } from './portal-self.service.js';
import { PortalSessions } from './portal-sessions.js';
import { PortalCasesController, PortalController } from './portal.controllers.js';

/**
 * The customer self-service portal: contacts invited by staff log in with tokens of the
 * `portal` audience and reach their own account's cases, orders, articles and preferences.
 */
@Module({
  imports: [AuthModule, MarketingModule, OrdersModule, KnowledgeModule, ServiceModule],
  controllers: [
    PortalAccessController,
    PortalAuthController,
    PortalCasesController,
    PortalController,
  ],
  providers: [PortalSessions, PortalAccessService, PortalCasesService, PortalSelfService],
})
export class PortalModule {}
