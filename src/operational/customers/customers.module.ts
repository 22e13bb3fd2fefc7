import { Module } from '@nestjs/common';
import { AccountActionsController, AccountsController } from './accounts/accounts.controller.js';
import { AccountsService } from './accounts/accounts.service.js';
import { ContactActionsController, ContactsController } from './contacts/contacts.controller.js';
import { ContactsService } from './contacts/contacts.service.js';

/** Accounts and contacts: the customer records every other module hangs off. */
@Module({
  controllers: [
    AccountActionsController,
    AccountsController,
    ContactActionsController,
    ContactsController,
  ],
  providers: [AccountsService, ContactsService],
  exports: [AccountsService, ContactsService],
})
export class CustomersModule {}
