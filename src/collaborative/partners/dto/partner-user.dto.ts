import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class InvitePartnerUserDto {
  @ApiProperty({ example: 'sari@mitra.co.id', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Sari Wulandari', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    enum: ['en', 'id'],
    description: "Language of the invitation mail; default the request's language",
  })
  @IsOptional()
  @IsIn(['en', 'id'])
  locale?: 'en' | 'id';
}

export class PartnerUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ maxLength: 200, example: 'Sari Wulandari' }) name: string;
  @ApiProperty({ maxLength: 320, example: 'sari@mitra.co.id' }) email: string;
  @ApiProperty({ enum: ['invited', 'active', 'revoked'] }) status: string;
  @ApiProperty({ format: 'date-time' }) invitedAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) activatedAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastLoginAt: string | null;
}

export class PartnerUserListDto {
  @ApiProperty({ type: [PartnerUserDto], maxItems: 500 }) data: PartnerUserDto[];
}

export class PartnerInvitationDto extends PartnerUserDto {
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'Whether the mail server accepted the invitation mail' })
  delivered: boolean;
}

/** Who is calling the partner API. */
export class PartnerMeDto {
  @ApiProperty({ format: 'uuid' }) partnerUserId: string;
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ maxLength: 200 }) name: string;
  @ApiProperty({ maxLength: 320 }) email: string;
}
