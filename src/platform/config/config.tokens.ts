/** Injection tokens for the frozen configuration objects built at start. */
export const ENV = Symbol('ENV');
export const CRM_CONFIG = Symbol('CRM_CONFIG');
