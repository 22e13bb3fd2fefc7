import { declareEvent } from '#platform/events/index.js';
import type { MoneyValue } from './configuration-model.js';

/**
 * `configuration.priced`: a saved configuration got a new total, on creation or because its
 * product, options, account, currency, quantity or day changed; quotes that point at it may
 * want to follow.
 */
export interface ConfigurationPricedPayload {
  productId: string;
  accountId: string | null;
  total: MoneyValue;
  /** Null for a new configuration. */
  previousTotal: MoneyValue | null;
  ownerId: string;
  teamId: string | null;
}

export const CONFIGURATION_PRICED = declareEvent<ConfigurationPricedPayload>(
  'configuration.priced',
  'configurations',
);
