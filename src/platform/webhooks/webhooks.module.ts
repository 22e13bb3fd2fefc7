import { Module } from '@nestjs/common';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhookDeliveryRunner } from './webhook-delivery-runner.js';
import { WebhookActionsController, WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Outbound webhooks: admin-managed subscriptions, signed deliveries with retries and a log. */
@Module({
  controllers: [WebhooksController, WebhookActionsController],
  providers: [WebhooksService, WebhookDeliveriesService, WebhookDeliveryRunner],
  exports: [WebhooksService],
})
export class WebhooksModule {}
