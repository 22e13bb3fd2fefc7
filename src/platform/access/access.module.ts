import { Module } from '@nestjs/common';
import { AuthModule } from '#platform/auth/auth.module.js';
import { RolesController } from './roles/roles.controller.js';
import { RolesService } from './roles/roles.service.js';
import { TeamMembersController, TeamsController } from './teams/teams.controller.js';
import { TeamsService } from './teams/teams.service.js';
import { UserActionsController, UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';

/** Administration of users, teams and roles (admins only; the services check). */
@Module({
  imports: [AuthModule],
  controllers: [
    UsersController,
    UserActionsController,
    TeamsController,
    TeamMembersController,
    RolesController,
  ],
  providers: [UsersService, TeamsService, RolesService],
  exports: [UsersService, TeamsService, RolesService],
})
export class AccessModule {}
