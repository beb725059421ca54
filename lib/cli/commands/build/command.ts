import { Command } from 'commander';
import { PROJECT_ROOT } from '../../../build/default-workflow.ts';

/** `primero-ona build` (`npm run build`): the TypeScript jobs and CLI -> dist/, what OpenFn and the CLI run. */
export function buildCommand(root: string = PROJECT_ROOT): Command {
  return new Command('build')
    .description('build dist/jobs/<job>.js and dist/project.yaml (openfn deploy) from jobs/ and lib/build/project.ts, workflow.json (openfn CLI) at the root, and the CLI itself (dist/cli/, dist/adaptors/)')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--credential-owner <email>', "the Lightning user who owns the project's credentials, for project.yaml", 'owner@example.org')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action(async (opts: { out: string; credentialOwner: string }) => {
      const { buildHandler } = await import('./handler.ts');
      await buildHandler(opts, root);
    });
}
