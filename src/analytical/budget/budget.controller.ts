import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { PermissionEvaluator } from '#platform/access/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems } from '#platform/http/index.js';
import { BudgetPlannerService } from './budget-planner.service.js';
import { BudgetPlanDto, BudgetPlanRequestDto } from './dto/budget-plan.dto.js';

@ApiTags('Analytics')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/analytics')
export class BudgetController {
  constructor(
    private readonly planner: BudgetPlannerService,
    private readonly permissions: PermissionEvaluator,
  ) {}

  @Post('budget-plan')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Where to spend the next campaign budget: the allocation that maximizes expected profit',
    description:
      'A linear program over segment × channel candidates (contacts reached), maximizing Σ (response rate × margin − ' +
      'cost per contact) × contacts under the total budget, channel spending caps, segment minimum spends and the ' +
      'frequency cap, solved with HiGHS. Constraints that cannot hold together answer 422 `budget_plan_infeasible` ' +
      'naming a smallest conflicting set. A candidate without rates takes them from campaign history (members of campaigns ' +
      'on its channel whose account is in its RFM segment or value tier, over `budgetPlan.historyDays`); each plan line ' +
      'says where its rates came from and on how many contacts, and a history thinner than `budgetPlan.minHistorySample` ' +
      'answers 422 `budget_history_too_thin` naming the candidates. Needs read on campaigns.',
    operationId: 'budget_plan_analytics',
  })
  @ApiOkResponse({ type: BudgetPlanDto })
  @ApiProblems(400, 401, 403, 422)
  plan(@Ctx() ctx: RequestContext, @Body() body: BudgetPlanRequestDto) {
    this.permissions.require(ctx.user, 'campaigns', 'read');
    return this.planner.plan(ctx, body);
  }
}
