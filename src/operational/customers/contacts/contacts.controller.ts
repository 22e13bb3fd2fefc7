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
import { ContactsService } from './contacts.service.js';
import { ContactDto, CreateContactDto, UpdateContactDto } from './dto/contact.dto.js';

export const ContactsController = recordController({
  path: 'contacts',
  tag: 'Contacts',
  label: 'contact',
  service: ContactsService,
  createDto: CreateContactDto,
  updateDto: UpdateContactDto,
  responseDto: ContactDto,
  filterExample: 'filter[lastName][eq]=Wijaya&filter[account.industry][eq]=retail',
});

@ApiTags('Contacts')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/contacts')
export class ContactActionsController {
  constructor(private readonly contacts: ContactsService) {}

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge duplicate contacts into this one',
    description:
      "Fills this contact's empty fields from the duplicates, gathers their emails and phones, moves their related records here, and deletes them.",
    operationId: 'merge_contacts',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ContactDto })
  @ApiProblems(400, 401, 403, 404)
  merge(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: MergeDto,
  ) {
    return this.contacts.merge(ctx, id, body.duplicateIds);
  }
}
