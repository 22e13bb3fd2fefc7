export { WebhooksModule } from './webhooks.module.js';
export { signatureHeader, signWebhook } from './webhook-signature.js';
export { sendWebhook, type SendResult } from './webhook-sender.js';
export { WebhookUrlError, WebhookUrlPolicy, type CheckedTarget } from './webhook-url-policy.js';
