import { Module } from '@nestjs/common';
import { AccountActionsController, AccountsController } from './accounts/accounts.controller.js';
import { AccountsService } from './accounts/accounts.service.js';
import { ContactActionsController, ContactsController } from './contacts/contacts.controller.js';
import { ContactsService } from './contacts/contacts.service.js';
import { timelineController } from '#platform/timeline/index.js';

/** Accounts and contacts: the customer records every other module hangs off. */
@Module({
  controllers: [
    AccountActionsController,
    AccountsController,
    ContactActionsController,
    ContactsController,
    timelineController({
      path: 'accounts',
      entity: 'accounts',
      tag: 'Accounts',
      label: 'an account',
    }),
    timelineController({
      path: 'contacts',
      entity: 'contacts',
      tag: 'Contacts',
      label: 'a contact',
    }),
  ],
  providers: [AccountsService, ContactsService],
  exports: [AccountsService, ContactsService],
})
export class CustomersModule {}
