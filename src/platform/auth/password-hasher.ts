import { hash, verify, type Options } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';

/** argon2id at OWASP's minimum: 19 MiB memory, 2 passes, 1 lane. */
// Algorithm.Argon2id is an ambient const enum, which isolated modules cannot read.
const ARGON2ID = 2 as Options['algorithm'];
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordHasher {
  /** Verified against when the account does not exist, so both answers take as long. */
  private dummy: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  async verify(hashed: string | null, password: string): Promise<boolean> {
    if (hashed === null) {
      this.dummy ??= this.hash('relasi-timing-equalizer');
      await verify(await this.dummy, password).catch(() => false);
      return false;
    }
    return verify(hashed, password).catch(() => false);
  }
}
