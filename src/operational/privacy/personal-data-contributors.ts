import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';

/**
 * What a module holds on a contact beyond the records that point at it (consent history,
 * message logs, portal logins…), for the contact's export and erasure. Modules register one
 * at start; records that merely refer to the contact are found without it.
 */
export interface PersonalDataContributor {
  /** Key of the module's part in an export (`marketingConsent`). */
  readonly section: string;
  /** What the module holds on the contact, as JSON. */
  export?(tx: RequestContext, contactId: string): Promise<unknown>;
  /**
   * Erases or anonymizes it in the erasure's transaction, keeping what aggregates need
   * (amounts, dates, counts); answers how many rows it changed.
   */
  erase?(tx: RequestContext, contactId: string): Promise<number>;
}

@Injectable()
export class PersonalDataContributors {
  private readonly contributors = new Map<string, PersonalDataContributor>();

  register(contributor: PersonalDataContributor): void {
    if (this.contributors.has(contributor.section))
      throw new Error(`personal data section "${contributor.section}" is registered twice`);
    this.contributors.set(contributor.section, contributor);
  }

  all(): PersonalDataContributor[] {
    return [...this.contributors.values()];
  }
}
