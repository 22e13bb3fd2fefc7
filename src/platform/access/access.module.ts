import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';

/** Administration of users, teams and roles. */
@Module({
  imports: [AuthModule],
  controllers: [],
  providers: [],
})
export class AccessModule {}
