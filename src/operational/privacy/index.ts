/** What other modules use of the privacy tools: registering their part of a contact's data. */
export {
  PersonalDataContributors,
  type PersonalDataContributor,
} from './personal-data-contributors.js';
export { PrivacyModule } from './privacy.module.js';
export { TraceRedaction } from './trace-redaction.js';
export { PRIVACY_CONFIG } from './privacy.config.js';
export { PRIVACY_PROBLEMS } from './privacy.errors.js';
export { CONTACT_ERASED } from './privacy.events.js';
export { ERASED_NAME } from './contact-erasure.js';
