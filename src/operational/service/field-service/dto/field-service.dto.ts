import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AddressDto } from '#operational/customers/index.js';
import { IsTimeZone } from '#platform/http/index.js';
import {
  CustomFieldsInput,
  IsDecimalString,
  IsInstant,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import { WORK_ORDER_STATUSES } from '../field-service.definitions.js';

const SKILLS = { type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 50 } as const;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Working hours on one weekday, local to the technician. */
export class WorkingHoursDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 7,
    example: 1,
    description: 'ISO weekday: 1 Monday … 7 Sunday',
  })
  @IsInt()
  @Min(1)
  @Max(7)
  day: number;

  @ApiProperty({ example: '08:00', maxLength: 5, pattern: '^\\d{2}:\\d{2}$' })
  @IsString()
  @Matches(TIME, { message: 'start must be a time HH:MM' })
  start: string;

  @ApiProperty({ example: '17:00', maxLength: 5, pattern: '^\\d{2}:\\d{2}$' })
  @IsString()
  @Matches(TIME, { message: 'end must be a time HH:MM' })
  end: string;
}

export class CreateTechnicianDto {
  @ApiProperty({ format: 'uuid', description: 'The user who is the technician; set once' })
  @IsNotEmpty()
  @IsUUID('all')
  userId: string;

  @ApiPropertyOptional({ ...SKILLS, example: ['fiber', 'router'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(50, { each: true })
  skills?: string[];

  @ApiProperty({ example: 'Asia/Jakarta', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timeZone: string;

  @ApiPropertyOptional({ type: [WorkingHoursDto], maxItems: 21 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(21)
  @ValidateNested({ each: true })
  @Type(() => WorkingHoursDto)
  weeklyHours?: WorkingHoursDto[];

  @ApiPropertyOptional({ type: 'boolean', default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('technicians')
  customFields?: Record<string, unknown>;
}

export class UpdateTechnicianDto extends PartialType(
  PickType(CreateTechnicianDto, [
    'skills',
    'timeZone',
    'weeklyHours',
    'active',
    'ownerId',
    'teamId',
    'customFields',
  ] as const),
) {}

export class TechnicianDto extends RecordResponse(CreateTechnicianDto) {
  @ApiProperty(SKILLS) declare skills: string[];
  @ApiProperty({ type: [WorkingHoursDto], maxItems: 21 }) declare weeklyHours: WorkingHoursDto[];
  @ApiProperty({ type: 'boolean' }) declare active: boolean;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}

export class ChecklistItemDto {
  @ApiProperty({ example: 'Check signal level', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  label: string;

  @ApiPropertyOptional({ type: 'boolean', default: false })
  @IsOptional()
  @IsBoolean()
  done?: boolean;
}

export class PartUsedDto {
  @ApiProperty({ format: 'uuid', description: 'A product of the catalog' })
  @IsNotEmpty()
  @IsUUID('all')
  productId: string;

  @ApiProperty({ type: 'string', example: '2', maxLength: 26 })
  @IsString()
  @IsDecimalString()
  quantity: string;
}

export class TimeEntryDto {
  @ApiProperty({ format: 'uuid' })
  @IsNotEmpty()
  @IsUUID('all')
  technicianId: string;

  @ApiProperty({ type: 'string', format: 'date-time', maxLength: 40 })
  @IsString()
  @MaxLength(40)
  @IsInstant()
  startedAt: string;

  @ApiProperty({ type: 'string', format: 'date-time', maxLength: 40 })
  @IsString()
  @MaxLength(40)
  @IsInstant()
  endedAt: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class CreateWorkOrderDto {
  @ApiProperty({ example: 'Install fiber router', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  subject: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'The case it serves; a case or an account is required. Set once',
  })
  @IsOptional()
  @IsUUID('all')
  caseId?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true, description: 'Set once' })
  @IsOptional()
  @IsUUID('all')
  accountId?: string | null;

  @ApiPropertyOptional({ type: AddressDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  siteAddress?: AddressDto | null;

  @ApiPropertyOptional({ ...SKILLS, example: ['fiber'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(50, { each: true })
  requiredSkills?: string[];

  @ApiPropertyOptional({ type: [ChecklistItemDto], maxItems: 100 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ChecklistItemDto)
  checklist?: ChecklistItemDto[];

  @ApiPropertyOptional({ type: [PartUsedDto], maxItems: 100 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PartUsedDto)
  partsUsed?: PartUsedDto[];

  @ApiPropertyOptional({ type: [TimeEntryDto], maxItems: 500 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => TimeEntryDto)
  timeEntries?: TimeEntryDto[];

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('work-orders')
  customFields?: Record<string, unknown>;
}

export class UpdateWorkOrderDto extends PartialType(
  PickType(CreateWorkOrderDto, [
    'subject',
    'description',
    'siteAddress',
    'requiredSkills',
    'checklist',
    'partsUsed',
    'timeEntries',
    'ownerId',
    'teamId',
    'customFields',
  ] as const),
) {
  @ApiPropertyOptional({
    enum: WORK_ORDER_STATUSES,
    description:
      'scheduled → dispatched → en_route → on_site → completed; cancelled until completed. Others: 409',
  })
  @IsOptional()
  @IsIn(WORK_ORDER_STATUSES)
  status?: string;
}

export class WorkOrderDto extends RecordResponse(CreateWorkOrderDto) {
  @ApiProperty({ example: 'WO-000042', maxLength: 20 }) number: string;
  @ApiProperty({ enum: WORK_ORDER_STATUSES }) status: string;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}

export class CreateAppointmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsNotEmpty()
  @IsUUID('all')
  technicianId: string;

  @ApiProperty({ type: 'string', format: 'date-time', maxLength: 40 })
  @IsString()
  @MaxLength(40)
  @IsInstant()
  startsAt: string;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    maxLength: 40,
    description: 'After startsAt; the range is half-open',
  })
  @IsString()
  @MaxLength(40)
  @IsInstant()
  endsAt: string;
}

export class AppointmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) workOrderId: string;
  @ApiProperty({ format: 'uuid' }) technicianId: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AppointmentListDto {
  @ApiProperty({ type: [AppointmentDto], maxItems: 1000 }) data: AppointmentDto[];
}

class ScheduleEntryDto extends AppointmentDto {
  @ApiProperty({ example: 'WO-000042', maxLength: 20 }) workOrderNumber: string;
  @ApiProperty({ maxLength: 300 }) subject: string;
  @ApiProperty({ example: '09:00', maxLength: 5, description: 'Local to the technician' })
  localStart: string;
  @ApiProperty({ example: '11:00', maxLength: 5 }) localEnd: string;
}

export class ScheduleDto {
  @ApiProperty({ format: 'uuid' }) technicianId: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ example: 'Asia/Jakarta', maxLength: 64 }) timeZone: string;
  @ApiProperty({
    type: [WorkingHoursDto],
    maxItems: 3,
    description: 'Working hours of that weekday',
  })
  workingHours: WorkingHoursDto[];
  @ApiProperty({ type: [ScheduleEntryDto], maxItems: 1000 }) appointments: ScheduleEntryDto[];
}
