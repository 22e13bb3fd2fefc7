export { MAX_CURRENCIES, isCurrencyCode } from './currency-codes.js';
export { CurrencyModule } from './currency.module.js';
export { convertedAmountSql, rateLookupSql } from './exchange-rate-lookup.js';
export { Money, roundMoney } from './money-math.js';
export { minorUnitDigits } from './money-math.js';
export { ExchangeRatesService } from './exchange-rates.service.js';
