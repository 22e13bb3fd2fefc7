import { CrmConfigError } from '#platform/config/crm-config.js';
import { parseEnv } from '#platform/config/env.js';
import { checkConfig } from './cli/config-check-command.js';

/** `npm run config:check [file]`: the check `relasi config-check` runs, exiting 2 on a bad file. */
async function main() {
  const file = process.argv[2] ?? process.env.CRM_CONFIG ?? 'crm.config.yaml';
  const env = parseEnv({ ...process.env, CRM_LOG_LEVEL: 'silent' });
  const { blocked } = await checkConfig(file, env, (line) => process.stdout.write(`${line}\n`));
  if (blocked) process.exitCode = 2;
}

main().catch((e: unknown) => {
  process.stderr.write(
    `${e instanceof CrmConfigError ? e.message : ((e as Error).stack ?? String(e))}\n`,
  );
  process.exit(e instanceof CrmConfigError ? 2 : 1);
});
