import { Injectable, type PipeTransform } from '@nestjs/common';
import { UUID_PATTERN } from '#platform/database/uuid7.js';
import { AppError } from './app-error.js';

/** Path ids: anything but a UUID is a 400 naming the value, not a 404 or a 500. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID_PATTERN.test(value)) throw new AppError('invalid_id', { value: value.slice(0, 100) });
    return value.toLowerCase();
  }
}

export function parseLimitParam(raw: string | undefined, fallback = 50, max = 500): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new AppError('invalid_query', {}, [
      {
        field: 'limit',
        rule: 'max',
        message: `must be a whole number from 1 to ${max}`,
        params: { max },
      },
    ]);
  }
  return Number(raw);
}
