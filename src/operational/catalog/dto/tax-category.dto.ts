import { ApiProperty } from '@nestjs/swagger';
import { LocalizedNameDto } from './localized-text.dto.js';

/** A tax category of `catalog.taxCategories`, as products name it and quotes and orders tax by it. */
export class TaxCategoryDto {
  @ApiProperty({
    type: 'string',
    maxLength: 50,
    example: 'standard',
    description: "What a product's `taxCategory` names",
  })
  code: string;
  @ApiProperty({ type: LocalizedNameDto, example: { en: 'VAT 11%', id: 'PPN 11%' } })
  name: LocalizedNameDto;
  @ApiProperty({
    type: 'string',
    maxLength: 8,
    example: '11',
    description: 'Percent, as a decimal string',
  })
  rate: string;
  @ApiProperty({ type: 'boolean', description: 'The category a product takes when it names none' })
  default: boolean;
}

export class TaxCategoryListDto {
  @ApiProperty({ type: [TaxCategoryDto], maxItems: 50 }) data: TaxCategoryDto[];
}
