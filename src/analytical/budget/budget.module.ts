import { Module } from '@nestjs/common';
import { BudgetController } from './budget.controller.js';
import { BudgetHistoryRepository } from './budget-history.repository.js';
import { BudgetPlannerService } from './budget-planner.service.js';

/** Decision support: the campaign budget allocation as a linear program. */
@Module({
  controllers: [BudgetController],
  providers: [BudgetPlannerService, BudgetHistoryRepository],
})
export class BudgetModule {}
