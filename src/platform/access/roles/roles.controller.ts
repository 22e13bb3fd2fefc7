import { adminTableController } from '#platform/records/admin-table-controller.factory.js';
import { CreateRoleDto, RoleDto, RoleListDto, UpdateRoleDto } from './dto/role.dto.js';
import { RolesService } from './roles.service.js';

const PERMISSIONS_HELP =
  '`permissions.entities` keys are entities (accounts, contacts, …) with a scope none|own|team|all per action ' +
  'and `reassign`; `permissions.fields.<entity>.<attribute>` is hidden or read-only. Unknown entities, attributes ' +
  'or scopes answer 400 naming the path, e.g. `permissions.entities.foo`.';

export const RolesController = adminTableController({
  path: 'roles',
  tag: 'Access',
  name: 'Role',
  service: RolesService,
  createDto: CreateRoleDto,
  updateDto: UpdateRoleDto,
  responseDto: RoleDto,
  listDto: RoleListDto,
  listQuery: { filter: 'filter[builtIn][eq]=false', sort: 'name', fields: 'id,name,permissions' },
  docs: {
    list: {
      summary: 'List roles, built-in and custom (admins)',
      description:
        'Filter on key, name, builtIn, admin, createdAt; sort by name, createdAt, updatedAt; page with `limit` and `cursor`.',
    },
    create: { summary: 'Create a custom role (admins)', description: PERMISSIONS_HELP },
    get: { summary: 'Read a role (admins)' },
    update: {
      summary: 'Update a role (admins, partial; built-in roles too)',
      description: `${PERMISSIONS_HELP} \`permissions\` is replaced as a whole. Admins cannot take administration away from their own role.`,
    },
    remove: {
      summary: 'Delete a custom role no user holds (admins; soft)',
      description:
        'Built-in roles answer 409 built_in_role; a role still assigned answers 409 role_in_use.',
      problems: [400, 401, 403, 404, 409, 412],
    },
    restore: { summary: 'Restore a deleted role (admins)' },
    history: { summary: 'Change history of a role, newest first (admins)' },
  },
});
