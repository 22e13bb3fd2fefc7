import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class CreatePortalInvitationDto {
  @ApiPropertyOptional({
    enum: ['en', 'id'],
    description: "Language of the invitation mail; default the request's language",
  })
  @IsOptional()
  @IsIn(['en', 'id'])
  locale?: 'en' | 'id';
}

export class PortalInvitationDto {
  @ApiProperty({ format: 'uuid' }) portalUserId: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ maxLength: 320, example: 'dewi@example.co.id' }) email: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'Whether the mail server accepted the invitation mail' })
  delivered: boolean;
}
