import { Module } from '@nestjs/common';
import {
  ExchangeRateActionsController,
  ExchangeRatesController,
} from './exchange-rates.controller.js';
import { ExchangeRatesService } from './exchange-rates.service.js';

/** Dated exchange rates, kept by admins, and the rule that converts amounts by them. */
@Module({
  controllers: [ExchangeRatesController, ExchangeRateActionsController],
  providers: [ExchangeRatesService],
  exports: [ExchangeRatesService],
})
export class CurrencyModule {}
