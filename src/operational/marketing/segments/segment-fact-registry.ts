import { Injectable } from '@nestjs/common';
import { BUILT_IN_FACTS } from './facts/built-in-facts.js';
import { FactRegistry } from './rules/fact-registry.js';

/**
 * The facts segment rules may use. Other modules inject it and `register` their own facts
 * when they start (the service desk's "has an open case"), without changing marketing.
 */
@Injectable()
export class SegmentFactRegistry extends FactRegistry {
  constructor() {
    super();
    for (const fact of BUILT_IN_FACTS) this.register(fact);
  }
}
