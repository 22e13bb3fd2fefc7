import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ListMetaDto, MoneyDto } from '#platform/records/index.js';
import { CASE_STATUSES, CASE_TYPES } from '../../cases/case-status.js';

export class PortalMeDto {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) accountId: string | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 200, example: 'PT Sinar Jaya' })
  accountName: string | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 100, example: 'Dewi' })
  firstName: string | null;
  @ApiProperty({ maxLength: 100, example: 'Lestari' }) lastName: string;
  @ApiProperty({ maxLength: 320, example: 'dewi@example.co.id' }) email: string;
}

/** What a customer sees of a case: none of the desk's internal fields (queue, assignee, SLA). */
export class PortalCaseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'CS-2026-000042', maxLength: 20 }) number: string;
  @ApiProperty({ maxLength: 500 }) subject: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 20000 }) description: string | null;
  @ApiProperty({ enum: CASE_STATUSES }) status: string;
  @ApiProperty({ enum: CASE_TYPES }) type: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 50 }) category: string | null;
  @ApiProperty({ maxLength: 20, example: 'portal' }) channel: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) contactId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) orderId: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) resolvedAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) closedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ example: 1 }) version: number;
}

export class PortalCasePageDto {
  @ApiProperty({ type: [PortalCaseDto], maxItems: 500 }) data: PortalCaseDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class CreatePortalCaseDto {
  @ApiProperty({ maxLength: 500, example: 'The delivered printer does not power on' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  subject: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  description?: string;

  @ApiPropertyOptional({ enum: CASE_TYPES, default: 'question' })
  @IsOptional()
  @IsIn(CASE_TYPES)
  type?: (typeof CASE_TYPES)[number];

  @ApiPropertyOptional({ maxLength: 50, description: 'One of `service.categories`' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  category?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One of your own orders' })
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Yourself; any other contact answers 422 `portal_not_own`',
  })
  @IsOptional()
  @IsUUID()
  contactId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Your own account; any other answers 422 `portal_not_own`',
  })
  @IsOptional()
  @IsUUID()
  accountId?: string;
}

export class CreatePortalCommentDto {
  @ApiProperty({ maxLength: 50000, example: 'It still does not work after the reset.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50000)
  body: string;
}

export class PortalCommentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 50000 }) body: string;
  @ApiProperty({ enum: ['staff', 'customer'], description: 'Who wrote it' }) author: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Customer author' })
  authorContactId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PortalCommentListDto {
  @ApiProperty({ type: [PortalCommentDto], maxItems: 1000 }) data: PortalCommentDto[];
}

export class PortalAttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 255, example: 'photo.png' }) fileName: string;
  @ApiProperty({ maxLength: 100, example: 'image/png' }) mediaType: string;
  @ApiProperty({ example: 48213 }) sizeBytes: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PortalAttachmentListDto {
  @ApiProperty({ type: [PortalAttachmentDto], maxItems: 1000 }) data: PortalAttachmentDto[];
}

export class PortalOrderLineDto {
  @ApiProperty({ example: 1 }) lineNo: number;
  @ApiProperty({ enum: ['sale', 'credit'] }) kind: string;
  @ApiProperty({ maxLength: 64 }) sku: string;
  @ApiProperty({ maxLength: 400 }) productName: string;
  @ApiProperty({ example: '2', maxLength: 26 }) quantity: string;
  @ApiProperty({ type: MoneyDto }) unitPrice: MoneyDto;
  @ApiProperty({ type: MoneyDto }) net: MoneyDto;
}

export class PortalTrackingEventDto {
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ maxLength: 30, example: 'shipped' }) status: string;
  @ApiProperty({ type: 'string', maxLength: 100, nullable: true }) carrier: string | null;
  @ApiProperty({ type: 'string', maxLength: 100, nullable: true }) trackingNumber: string | null;
  @ApiProperty({ type: 'string', maxLength: 200, nullable: true }) location: string | null;
}

/** Order tracking: status, dates, totals and, on a read of one order, lines and events. */
export class PortalOrderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SO-000042', maxLength: 20 }) number: string;
  @ApiProperty({ maxLength: 20, example: 'shipped' }) status: string;
  @ApiProperty({ format: 'date-time' }) orderedAt: string;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiProperty({ type: MoneyDto }) total: MoneyDto;
  @ApiPropertyOptional({ type: [PortalOrderLineDto], maxItems: 10000 })
  lines?: PortalOrderLineDto[];
  @ApiPropertyOptional({ type: [PortalTrackingEventDto], maxItems: 10000 })
  trackingEvents?: PortalTrackingEventDto[];
}

export class PortalOrderPageDto {
  @ApiProperty({ type: [PortalOrderDto], maxItems: 500 }) data: PortalOrderDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
