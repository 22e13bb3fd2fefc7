export { Ctx } from './ctx.decorator.js';
export type { Principal, Scope } from './principal.js';
export { RequestContext } from './request-context.js';
