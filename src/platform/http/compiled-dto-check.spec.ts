import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import {
  CreateContactDto,
  UpdateContactDto,
} from '#operational/customers/contacts/dto/contact.dto.js';
import { MoneyDto } from '#platform/records/dto/money.dto.js';
import { validateDtoFast } from './compiled-dto-check.js';
import { validateDto, type DtoClass } from './dto-validation.js';

class RecipientDto {
  @IsUUID('all')
  contactId: string;

  @IsIn(['to', 'cc'])
  role: string;
}

/** Nested money, a list of nested objects, bounded integers and a list of strings. */
class CreateShipmentDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @IsNotEmpty()
  @IsUUID('all')
  accountId: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RecipientDto)
  recipients?: RecipientDto[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  declaredValue?: MoneyDto | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  insuredPercent?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  carriers?: string[];
}

class UpdateShipmentDto extends PartialType(CreateShipmentDto) {}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Every body answers the same through both doors: the same data, or the same problems. A
 * body class-validator accepts is accepted by the compiled checks themselves (handed back as
 * it is), not by falling back to class-validator.
 */
async function expectSameAnswers(cls: DtoClass<object>, bodies: unknown[]): Promise<void> {
  for (const body of bodies) {
    const slow = await outcome(() => validateDto(cls, structuredClone(body)));
    const given = structuredClone(body);
    const fast = await outcome(() => validateDtoFast(cls, given));
    const data = (o: Outcome) =>
      o.ok ? { ok: true, value: JSON.parse(JSON.stringify(o.value)) as unknown } : o;
    expect({ body, ...data(fast) }).toEqual({ body, ...data(slow) });
    if (fast.ok) expect(fast.value).toBe(given);
  }
}

/** Each variant is the base body with one field replaced (undefined: left out). */
function variants(base: Record<string, unknown>, changes: [string, unknown][]): unknown[] {
  return changes.map(([field, value]) => {
    const body: Record<string, unknown> = { ...base };
    if (value === undefined) delete body[field];
    else body[field] = value;
    return body;
  });
}

const UUID = '0192f000-0000-7000-8000-000000000000';

const CONTACT = {
  firstName: 'Sari',
  lastName: 'Wijaya',
  email: 'sari@sinarjaya.co.id',
  otherEmails: ['sari@gmail.com'],
  phones: [{ number: '+62 21 555 0100', label: 'work' }],
  preferredLanguage: 'id',
  timeZone: 'Asia/Jakarta',
  lifecycleStage: 'customer',
  ownerId: UUID,
  teamId: null,
  customFields: { tier: 'gold' },
};

const CONTACT_CHANGES: [string, unknown][] = [
  ['lastName', undefined],
  ['lastName', ''],
  ['lastName', null],
  ['lastName', 42],
  ['lastName', 'x'.repeat(101)],
  ['firstName', null],
  ['email', 'not-an-email'],
  ['email', null],
  ['otherEmails', ['ok@example.com', 'nope']],
  ['otherEmails', 'one@example.com'],
  ['otherEmails', Array.from({ length: 11 }, (_, i) => `a${i}@example.com`)],
  ['phones', [{ number: 'abc' }]],
  ['phones', [{ number: '+62 21 555 0100', label: 'pager' }]],
  ['phones', [{ number: '+62 21 555 0100', extra: true }]],
  ['phones', ['+62 21 555 0100']],
  ['phones', [null]],
  ['phones', { number: '+62 21 555 0100' }],
  ['phones', 'text'],
  ['phones', []],
  ['preferredLanguage', 'Indonesian'],
  ['timeZone', 'Mars/Olympus'],
  ['lifecycleStage', 'prospect'],
  ['lifecycleStage', null],
  ['ownerId', 'not-a-uuid'],
  ['teamId', UUID],
  ['customFields', []],
  ['customFields', 'gold'],
  ['id', UUID],
  ['nickname', 'Sar'],
];

describe('validateDtoFast', () => {
  it('takes a valid body as it is, without building an instance', async () => {
    const body = structuredClone(CONTACT);
    expect(await validateDtoFast(CreateContactDto, body)).toBe(body);
    const partial = { title: 'Director' };
    expect(await validateDtoFast(UpdateContactDto, partial)).toBe(partial);
  });

  it('answers as validateDto does for contacts, valid or not', async () => {
    await expectSameAnswers(CreateContactDto, [CONTACT, ...variants(CONTACT, CONTACT_CHANGES)]);
    await expectSameAnswers(UpdateContactDto, [
      {},
      { email: 'x' },
      ...variants(CONTACT, CONTACT_CHANGES),
    ]);
  });

  it('answers as validateDto does for nested money and lists of objects', async () => {
    const shipment = {
      name: 'Warehouse',
      accountId: UUID,
      declaredValue: { amount: '1250000.00', currency: 'IDR' },
      recipients: [{ contactId: UUID, role: 'to' }],
      insuredPercent: 40,
      carriers: ['Acme'],
    };
    await expectSameAnswers(CreateShipmentDto, [
      shipment,
      ...variants(shipment, [
        ['declaredValue', { amount: '12.5', currency: 'XXZ' }],
        ['declaredValue', { amount: 12.5, currency: 'IDR' }],
        ['declaredValue', null],
        ['declaredValue', 'IDR 5'],
        ['recipients', [{ contactId: UUID, role: 'boss' }]],
        ['insuredPercent', 101],
        ['insuredPercent', 4.5],
        ['carriers', ['x'.repeat(201)]],
        ['accountId', undefined],
      ]),
    ]);
    await expectSameAnswers(UpdateShipmentDto, [{ insuredPercent: 10 }, { declaredValue: {} }]);
  });

  it('leaves classes it does not mirror to class-validator', async () => {
    class Transformed {
      @IsString()
      @Transform(({ value }: { value: unknown }) => String(value).trim())
      name: string;
    }
    class Dated {
      @IsDate()
      @Type(() => Date)
      at: Date;
    }
    class Eventually {
      @IsOptional()
      @((target: object, propertyName: string) =>
        registerDecorator({
          name: 'eventually',
          target: target.constructor,
          propertyName,
          validator: { validate: async (v: unknown) => v === 'yes' },
        }))
      answer?: string;
    }
    const trimmed = { name: ' Sari ' };
    expect(await validateDtoFast(Transformed, trimmed)).toEqual({ name: 'Sari' });
    const dated = { at: '2026-01-01T00:00:00Z' };
    expect(await validateDtoFast(Dated, dated)).toEqual({ at: new Date('2026-01-01T00:00:00Z') });
    for (const body of [{ answer: 'yes' }, { answer: 'no' }, {}]) {
      const slow = await outcome(() => validateDto(Eventually, { ...body }));
      const fast = await outcome(() => validateDtoFast(Eventually, { ...body }));
      expect(fast).toEqual(slow);
    }
  });
});
