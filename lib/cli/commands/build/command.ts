import { Command } from 'commander';

/** `primero-ona build` (`npm run build`): the TypeScript jobs -> dist/, what OpenFn runs. */
export function buildCommand(): Command {
  return new Command('build')
    .description('build dist/jobs/<step>.js, dist/workflow.json (openfn CLI) and dist/project.yaml (openfn deploy) from jobs/ and lib/build/project.ts')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--credential-owner <email>', "the Lightning user who owns the project's credentials, for project.yaml", 'owner@example.org')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: { out: string; credentialOwner: string }) => {
      const { buildHandler } = await import('./handler.ts');
      await buildHandler(opts);
    });
}
