/** What other modules use of customers: the record definitions of accounts and contacts. */
export { ACCOUNT_DEFINITION } from './accounts/account.definition.js';
export { CONTACT_DEFINITION } from './contacts/contact.definition.js';
export { CustomersModule } from './customers.module.js';
