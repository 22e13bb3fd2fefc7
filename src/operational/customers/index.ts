/** What other modules use of customers: accounts and contacts, their definitions, services and DTOs. */
export { ACCOUNT_DEFINITION, ACCOUNT_TYPES } from './accounts/account.definition.js';
export { AccountsService } from './accounts/accounts.service.js';
export { AccountDto, CreateAccountDto } from './accounts/dto/account.dto.js';
export { CONTACT_DEFINITION } from './contacts/contact.definition.js';
export { matchedContactsCte, OLDEST_CONTACT_BY_EMAIL_SQL } from './contacts/contacts-by-key.js';
export { ContactsService } from './contacts/contacts.service.js';
export { ContactDto, CreateContactDto } from './contacts/dto/contact.dto.js';
export { CustomersModule } from './customers.module.js';
export { AddressDto, nameKey } from './dto/contact-points.dto.js';
