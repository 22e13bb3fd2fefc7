import {
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { AppError } from '#platform/http/app-error.js';
import type { RequestContext } from '#platform/context/request-context.js';

export const AUDIENCE_METADATA = 'relasi:audience';

/**
 * Marks a controller or route as belonging to an audience other than staff: it accepts only
 * access tokens issued for that audience, and refuses staff tokens and API keys (401). Staff
 * routes refuse the audience's tokens in turn.
 */
export const Audience = (name: string) => SetMetadata(AUDIENCE_METADATA, name);

/** Who calls an audience route: the subject of its token and what its module loaded for it. */
export interface AudienceCaller<T = unknown> {
  audience: string;
  subjectId: string;
  sessionId: string;
  principal: T;
}

/**
 * How a module turns an audience token's subject into its caller. `resolve` answers null when
 * the subject is gone, its access was revoked or the session ended: the request is then 401.
 */
export interface AudienceResolver<T = unknown> {
  readonly audience: string;
  resolve(subjectId: string, sessionId: string): Promise<T | null>;
}

/** The resolvers the modules register at start, one per audience. */
@Injectable()
export class AudienceRegistry {
  private readonly resolvers = new Map<string, AudienceResolver>();

  register(resolver: AudienceResolver): void {
    if (this.resolvers.has(resolver.audience))
      throw new Error(`audience ${resolver.audience} is registered twice`);
    this.resolvers.set(resolver.audience, resolver);
  }

  get(audience: string): AudienceResolver | undefined {
    return this.resolvers.get(audience);
  }
}

export type RequestWithAudience = { audienceCaller?: AudienceCaller };

/** The caller of an audience route: `@AudienceUser() caller: AudienceCaller<MyPrincipal>`. */
export const AudienceUser = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const caller = context.switchToHttp().getRequest<RequestWithAudience>().audienceCaller;
  if (!caller) throw new AppError('unauthorized');
  return caller;
});

/**
 * The authority an audience's module reads and writes under once it has made its own,
 * narrower check (a customer reaches only their own records): every grant, recorded as
 * `actorId` — an id standing for the audience itself — so history and `createdById` never
 * name the staff member who once let the outsider in, and the access outlives that person.
 */
export function actingForAudience(
  ctx: RequestContext,
  audience: string,
  actorId: string,
): RequestContext {
  return ctx.withPrincipal({
    userId: actorId,
    email: '',
    roleId: '',
    roleName: audience,
    teamIds: [],
    teammateIds: [],
    permissions: { admin: true, entities: {}, fields: {} },
    apiKeyId: null,
  });
}
