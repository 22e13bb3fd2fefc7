import { Injectable } from '@nestjs/common';
import { RecordResourceService, RecordService, type RecordHooks } from '#platform/records/index.js';
import { PRODUCT_FAMILY_DEFINITION } from '../catalog.definitions.js';
import { checkLanguages } from '../catalog-rules.js';
import { searchText } from '../dto/localized-text.dto.js';

/** Product families: a name in at least one language. */
@Injectable()
export class ProductFamiliesService extends RecordResourceService {
  readonly def = PRODUCT_FAMILY_DEFINITION;

  protected override readonly hooks: RecordHooks = {
    derive: (r) => ({ search_name: searchText(r.name, r.description) }),
    validate: (_ctx, r, changed) => {
      checkLanguages(r, changed, ['name', 'description']);
      return Promise.resolve();
    },
  };

  constructor(records: RecordService) {
    super(records);
  }
}
