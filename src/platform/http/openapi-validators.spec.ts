import 'reflect-metadata';
import type { OpenAPIObject } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCurrencyCode } from '#platform/records/dto/money.dto.js';
import { documentValidatorRules } from './openapi-validators.js';

class ValidatorRulesProbeDto {
  @IsEmail() email: string;
  @IsNotEmpty() @IsString() name: string;
  @Matches(/^[A-Z]{2}$/) country: string;
  @Matches(/^[a-z]+$/i) caseless: string;
  @IsCurrencyCode() currency: string;
  @Min(1) @Max(10) quantity: number;
  @MaxLength(5, { each: true }) tags: string[];
  @MaxLength(50) described: string;
}

describe('documentValidatorRules', () => {
  // The rules are read from class-validator's storage, where declaring the class put them.
  expect(ValidatorRulesProbeDto.name).toBe('ValidatorRulesProbeDto');

  it("writes the validators' rules into the schema where the decorators said nothing", () => {
    const document = {
      components: {
        schemas: {
          ValidatorRulesProbeDto: {
            type: 'object',
            properties: {
              email: { type: 'string' },
              name: { type: 'string' },
              country: { type: 'string' },
              caseless: { type: 'string' },
              currency: { type: 'string' },
              quantity: { type: 'integer' },
              tags: { type: 'array', items: { type: 'string' } },
              described: { type: 'string', maxLength: 20 },
            },
          },
        },
      },
    } as unknown as OpenAPIObject;
    documentValidatorRules(document);
    const props = (
      document.components!.schemas!.ValidatorRulesProbeDto as {
        properties: Record<string, Record<string, unknown>>;
      }
    ).properties;
    expect(props.email).toEqual({ type: 'string', format: 'email' });
    expect(props.name).toEqual({ type: 'string', minLength: 1 });
    expect(props.country).toEqual({ type: 'string', pattern: '^[A-Z]{2}$' });
    // A case-insensitive pattern cannot be said in JSON Schema: left out rather than wrong.
    expect(props.caseless).toEqual({ type: 'string' });
    expect(props.currency).toEqual({ type: 'string', pattern: '^[A-Z]{3}$' });
    expect(props.quantity).toEqual({ type: 'integer', minimum: 1, maximum: 10 });
    expect(props.tags).toEqual({ type: 'array', items: { type: 'string', maxLength: 5 } });
    // What a decorator said stands.
    expect(props.described).toEqual({ type: 'string', maxLength: 20 });
  });
});
