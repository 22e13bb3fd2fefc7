import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiProblems, UuidParamPipe } from '#platform/http/index.js';
import { MergeDto, recordController } from '#platform/records/index.js';
import { AccountsService } from './accounts.service.js';
import { AccountDto, CreateAccountDto, UpdateAccountDto } from './dto/account.dto.js';

export const AccountsController = recordController({
  path: 'accounts',
  tag: 'Accounts',
  label: 'account',
  service: AccountsService,
  createDto: CreateAccountDto,
  updateDto: UpdateAccountDto,
  responseDto: AccountDto,
  filterExample: 'filter[industry][eq]=retail&filter[annualRevenue.amount][gte]=1000000',
});

@ApiTags('Accounts')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/accounts')
export class AccountActionsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge duplicate accounts into this one',
    description:
      "Fills this account's empty fields from the duplicates, moves their contacts and child accounts here, and deletes them.",
    operationId: 'merge_accounts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AccountDto })
  @ApiProblems(400, 401, 403, 404)
  merge(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: MergeDto,
  ) {
    return this.accounts.merge(ctx, id, body.duplicateIds);
  }
}
